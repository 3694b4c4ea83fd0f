"""emulator/recording.py: a request's IAM action, by protocol, without a server."""

from __future__ import annotations

import io
import json

import pytest

from emulator.recording import (
    ActionRecorder,
    describe_request,
    iam_action,
    match_rest,
    read_actions,
    signing_name,
)

AUTH = (
    "AWS4-HMAC-SHA256 Credential=emulator/20250101/eu-west-1/{service}/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc"
)
TERRAFORM_UA = "APN/1.0 HashiCorp/1.0 Terraform/1.11.0 aws-sdk-go-v2/1.36.0"


def environ(service: str, method: str = "GET", path: str = "/", query: str = "", **extra):
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_AUTHORIZATION": AUTH.format(service=service),
        "HTTP_USER_AGENT": TERRAFORM_UA,
        "wsgi.input": io.BytesIO(b""),
    }
    env.update(extra)
    return env


def test_signing_name_is_the_credential_scopes_service():
    assert signing_name(AUTH.format(service="monitoring")) == "monitoring"
    assert signing_name("") is None
    assert signing_name("Bearer x") is None


@pytest.mark.parametrize(
    ("method", "path", "query", "headers", "operation"),
    [
        ("GET", "/", {}, [], "ListBuckets"),
        ("PUT", "/b", {}, [], "CreateBucket"),
        ("HEAD", "/b", {}, [], "HeadBucket"),
        ("GET", "/b", {}, [], "ListObjects"),
        ("GET", "/b/", {"list-type": ["2"]}, [], "ListObjectsV2"),
        ("GET", "/b", {"versioning": [""]}, [], "GetBucketVersioning"),
        ("PUT", "/b", {"tagging": [""]}, [], "PutBucketTagging"),
        ("GET", "/b", {"policy": [""]}, [], "GetBucketPolicy"),
        ("GET", "/b", {"location": [""]}, [], "GetBucketLocation"),
        ("POST", "/b", {"delete": [""]}, [], "DeleteObjects"),
        ("GET", "/b/dir/key.txt", {}, [], "GetObject"),
        ("HEAD", "/b/dir/key.txt", {}, [], "HeadObject"),
        ("PUT", "/b/key", {}, [], "PutObject"),
        ("PUT", "/b/key", {}, ["X-Amz-Copy-Source"], "CopyObject"),
        ("GET", "/b/key", {"tagging": [""]}, [], "GetObjectTagging"),
    ],
)
def test_s3_rest_routes_most_specific_template_wins(method, path, query, headers, operation):
    assert match_rest("s3", method, path, query, headers) == operation


def test_efs_rest_routes():
    assert match_rest("efs", "POST", "/2015-02-01/file-systems", {}) == "CreateFileSystem"
    assert match_rest("efs", "GET", "/2015-02-01/file-systems", {}) == "DescribeFileSystems"
    assert (
        match_rest("efs", "PUT", "/2015-02-01/file-systems/fs-1/backup-policy", {})
        == "PutBackupPolicy"
    )


@pytest.mark.parametrize(
    ("service", "operation", "query", "action"),
    [
        ("monitoring", "PutMetricAlarm", None, "cloudwatch:PutMetricAlarm"),
        ("elasticfilesystem", "CreateFileSystem", None, "elasticfilesystem:CreateFileSystem"),
        ("s3", "HeadBucket", None, "s3:ListBucket"),
        ("s3", "HeadObject", None, "s3:GetObject"),
        ("s3", "ListObjectsV2", None, "s3:ListBucket"),
        ("s3", "DeleteObjects", None, "s3:DeleteObject"),
        ("s3", "GetBucketLocation", None, "s3:GetBucketLocation"),
        ("s3", "GetBucketEncryption", None, "s3:GetEncryptionConfiguration"),
        ("s3", "GetPublicAccessBlock", None, "s3:GetBucketPublicAccessBlock"),
        ("s3", "GetObject", {"versionId": ["v1"]}, "s3:GetObjectVersion"),
        ("s3", "DeleteObject", {"versionId": ["v1"]}, "s3:DeleteObjectVersion"),
        ("budgets", "DescribeBudget", None, "budgets:ViewBudget"),
        ("budgets", "CreateBudget", None, "budgets:ModifyBudget"),
        ("ec2", "CreateVpc", None, "ec2:CreateVpc"),
    ],
)
def test_iam_action_names(service, operation, query, action):
    assert iam_action(service, operation, query) == action


def test_json_protocol_uses_the_target():
    record = describe_request(
        environ("dynamodb", "POST", HTTP_X_AMZ_TARGET="DynamoDB_20120810.DescribeTable"), None
    )
    assert record == {
        "service": "dynamodb",
        "operation": "DescribeTable",
        "action": "dynamodb:DescribeTable",
        "client": "terraform",
    }


def test_query_protocol_reads_the_form_body_and_puts_it_back(tmp_path):
    body = b"Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16"
    env = environ(
        "ec2",
        "POST",
        CONTENT_TYPE="application/x-www-form-urlencoded; charset=utf-8",
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": io.BytesIO(body)},
    )
    seen = {}

    def app(environ, start_response):
        seen["body"] = environ["wsgi.input"].read()
        start_response("200 OK", [])
        return [b"ok"]

    lines = []
    recorder = ActionRecorder(app, tmp_path / "unused.jsonl")
    recorder.write = lines.append  # type: ignore[method-assign]
    assert list(recorder(env, lambda status, headers, exc_info=None: None)) == [b"ok"]
    assert seen["body"] == body
    assert lines == [
        {
            "service": "ec2",
            "operation": "CreateVpc",
            "action": "ec2:CreateVpc",
            "client": "terraform",
            "status": 200,
        }
    ]


def test_query_protocol_action_in_the_query_string_and_other_clients():
    env = environ("iam", query="Action=GetRole&RoleName=x", HTTP_USER_AGENT="Boto3/1.35")
    record = describe_request(env, None)
    assert record is not None
    assert (record["action"], record["client"]) == ("iam:GetRole", "other")


def test_cbor_protocol_path():
    env = environ("monitoring", "POST", "/service/GraniteServiceVersion20100801/operation/ListTags")
    record = describe_request(env, None)
    assert record is not None
    assert record["action"] == "cloudwatch:ListTags"


def test_unsigned_requests_are_not_recorded_and_unknown_ones_say_what_they_were():
    assert describe_request({"PATH_INFO": "/moto-api/", "REQUEST_METHOD": "GET"}, None) is None
    record = describe_request(environ("s3", "PATCH", "/b"), None)
    assert record is not None
    assert record["operation"] is None
    assert (record["method"], record["path"]) == ("PATCH", "/b")


def test_recorder_appends_json_lines(tmp_path):
    log = tmp_path / "actions.jsonl"

    def app(environ, start_response):
        start_response("404 Not Found", [])
        return [b""]

    recorder = ActionRecorder(app, log)
    for _ in range(2):
        recorder(environ("sts", query="Action=GetCallerIdentity"), lambda *a: None)
    records = read_actions(log)
    assert [r["action"] for r in records] == ["sts:GetCallerIdentity"] * 2
    assert records[0]["status"] == 404
    assert json.loads(log.read_text().splitlines()[0])["service"] == "sts"
    assert read_actions(tmp_path / "missing.jsonl") == []
