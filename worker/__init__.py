"""Celery workers that execute Terraform runs for the portal."""
