"""moto compatibility fixes for S3 work and are still needed."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError


def test_tls_only_bucket_policy_lets_tls_requests_through(emulator_for):
    variant, client = emulator_for("s3_policy_tls_conditions")
    s3 = client("s3")
    s3.create_bucket(Bucket="assets", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    deny_plain_http = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::assets", "arn:aws:s3:::assets/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "DenyOldTls",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::assets", "arn:aws:s3:::assets/*"],
                "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
            },
        ],
    }
    s3.put_bucket_policy(Bucket="assets", Policy=json.dumps(deny_plain_http))
    if variant == "raw":
        with pytest.raises(ClientError, match="AccessDenied|403|Forbidden"):
            s3.put_object(Bucket="assets", Key="site.css", Body=b"body{}")
        return
    s3.put_object(Bucket="assets", Key="site.css", Body=b"body{}")
    assert s3.get_object(Bucket="assets", Key="site.css")["Body"].read() == b"body{}"


def test_a_deny_whose_condition_holds_still_denies(emulator_for):
    """The fix evaluates conditions; it does not switch Deny statements off."""
    variant, client = emulator_for("s3_policy_tls_conditions")
    s3 = client("s3")
    s3.create_bucket(Bucket="locked", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    deny_tls = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::locked/*",
                "Condition": {"Bool": {"aws:SecureTransport": "true"}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket="locked", Policy=json.dumps(deny_tls))
    with pytest.raises(ClientError, match="AccessDenied|403|Forbidden"):
        s3.put_object(Bucket="locked", Key="x", Body=b"x")


def test_notification_shows_eventbridge(emulator_for):
    variant, client = emulator_for("s3_notification_shows_eventbridge")
    s3 = client("s3")
    s3.create_bucket(Bucket="source", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_notification_configuration(
        Bucket="source", NotificationConfiguration={"EventBridgeConfiguration": {}}
    )
    read = s3.get_bucket_notification_configuration(Bucket="source")
    if variant == "raw":
        assert "EventBridgeConfiguration" not in read
    else:
        assert read["EventBridgeConfiguration"] == {}
