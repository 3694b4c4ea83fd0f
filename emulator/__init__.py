"""The local AWS emulator (moto server on 127.0.0.1) and its compatibility layer
(``moto_compat``: one module per AWS service where moto's behaviour differs from AWS's
in a way the platform depends on). Used by the tests and the local runs only, never by
the portal's runtime."""

from emulator.server import LOOPBACK, Emulator, client, free_port, is_answering

__all__ = ["LOOPBACK", "Emulator", "client", "free_port", "is_answering"]
