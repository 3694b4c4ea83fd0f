"""The run domain: users and roles, environments and their locks, runs and their
lifecycle, plans and approvals, the audit log, and the database and messaging they live
in. Used by the web app (``app``) and the worker (``worker``); it imports neither, nor
Flask."""
