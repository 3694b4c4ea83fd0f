"""moto compatibility fixes for elbv2; see emulator.moto_compat."""

from __future__ import annotations

from typing import Any

from emulator.moto_compat import fix


@fix
def elbv2_default_scheme() -> None:
    """ELBv2: a load balancer created without ``Scheme`` is ``internet-facing``.

    Symptom: the provider omits ``Scheme`` for ``aws_lb`` with ``internal = false``;
    moto stores None, so DescribeLoadBalancers returns no ``Scheme`` at all and anything
    reading the account back (our integration tests, the provider's data source) cannot
    tell a public ALB from an internal one. AWS defaults the scheme to
    ``internet-facing``.
    """
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_load_balancer

    def create_load_balancer(self: Any, *args: Any, scheme: str | None = None, **kwargs: Any):
        return original(self, *args, scheme=scheme or "internet-facing", **kwargs)

    ELBv2Backend.create_load_balancer = create_load_balancer
