"""moto compatibility fixes for elbv2; see platformkit.moto_compat."""

from __future__ import annotations
