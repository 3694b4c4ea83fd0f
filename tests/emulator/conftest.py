"""Fixtures for the moto compatibility tests.

``emulator_for(fix_name)`` starts an emulator twice per test (parametrised): once as
we ship it (every fix applied), once with that one fix left out. Tests assert AWS's
behaviour on the first and moto's known-wrong behaviour on the second, so each fix
is shown to be both working and still needed.
"""

from __future__ import annotations

import json

import botocore
import pytest

from emulator import Emulator, client, moto_compat

REGION = "eu-west-1"


@pytest.fixture(params=["patched", "raw"])
def emulator_for(request, monkeypatch):
    """Factory: an emulator with every fix, or with the named fix left out."""
    started = []

    def make(fix_name):
        if request.param == "raw":
            monkeypatch.setenv(moto_compat.SKIP_VARIABLE, fix_name)
        else:
            monkeypatch.delenv(moto_compat.SKIP_VARIABLE, raising=False)
        emulator = Emulator().start()
        started.append(emulator)
        return request.param, lambda service: client(emulator.endpoint, service, REGION)

    yield make
    for emulator in started:
        emulator.stop()


def raw_json_of(aws_client, operation, **params):
    """The response body exactly as the wire carried it (before botocore parsing)."""
    captured = {}

    def keep(http_response, **_):
        captured["body"] = http_response.content

    aws_client.meta.events.register(f"after-call.*.{operation}", keep)
    getattr(aws_client, botocore.xform_name(operation))(**params)
    return json.loads(captured["body"])
