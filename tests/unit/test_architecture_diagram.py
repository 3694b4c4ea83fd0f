"""The architecture diagram: docs/architecture.drawio shows the platform, and the PNG is current.

Standard library only. The .drawio is mxGraph XML; a diagram page may be stored plain
(an <mxGraphModel> child) or compressed (base64 of raw deflate of the URL-encoded XML),
as draw.io does by default; both are read. docs/diagram/render.mjs writes the SHA-256
of the .drawio it rendered into docs/diagram/rendered-from.sha256, so editing the
diagram without re-rendering the image fails here.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import struct
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DRAWIO = DOCS / "architecture.drawio"
PNG = DOCS / "architecture.png"
RENDERED_FROM = DOCS / "diagram" / "rendered-from.sha256"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- parsing


def decode_diagram(diagram: ET.Element) -> ET.Element:
    """The <mxGraphModel> of one <diagram> page, plain or compressed."""
    model = diagram.find("mxGraphModel")
    if model is not None:
        return model
    data = (diagram.text or "").strip()
    if not data:
        raise ValueError(f"diagram {diagram.get('name')!r} is empty")
    inflated = zlib.decompress(base64.b64decode(data), -zlib.MAX_WBITS).decode("utf-8")
    # Our own repository file, not untrusted input.
    return ET.fromstring(urllib.parse.unquote(inflated))  # noqa: S314


def compress_model(model_xml: str) -> str:
    """draw.io's page compression (the inverse of decode_diagram), for the round-trip test."""
    raw = urllib.parse.quote(model_xml, safe="~()*!.'")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return base64.b64encode(deflater.compress(raw.encode()) + deflater.flush()).decode()


def models(path: Path) -> list[ET.Element]:
    root = ET.fromstring(path.read_text(encoding="utf-8"))  # noqa: S314 - repository file
    if root.tag == "mxGraphModel":
        return [root]
    assert root.tag == "mxfile", f"{path.name}: root element is <{root.tag}>, not <mxfile>"
    pages = root.findall("diagram")
    assert pages, f"{path.name} has no <diagram> page"
    return [decode_diagram(page) for page in pages]


def plain_label(value: str) -> str:
    """A cell's label as text: HTML labels lose their tags, entities and extra spaces."""
    text = re.sub(r"<br\s*/?>", " ", value, flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\s+", " ", text).strip()


def cells(model: ET.Element) -> list[dict[str, str]]:
    """Every cell with its label and style (cells wrapped in <UserObject>/<object> too)."""
    found = []
    for element in model.iter():
        if element.tag == "mxCell":
            found.append(dict(element.attrib))
        elif element.tag in ("UserObject", "object"):
            inner = element.find("mxCell")
            attrs = dict(inner.attrib) if inner is not None else {}
            attrs["id"] = element.get("id", "")
            attrs["value"] = element.get("label", "")
            found.append(attrs)
    for cell in found:
        cell["label"] = plain_label(cell.get("value", ""))
    return found


@pytest.fixture(scope="module")
def diagram_cells() -> list[dict[str, str]]:
    assert DRAWIO.is_file(), f"{DRAWIO.relative_to(ROOT)} is missing"
    return [cell for model in models(DRAWIO) for cell in cells(model)]


@pytest.fixture(scope="module")
def labels(diagram_cells: list[dict[str, str]]) -> list[str]:
    return [cell["label"] for cell in diagram_cells if cell["label"]]


def matching(labels: list[str], pattern: str) -> list[str]:
    return [label for label in labels if re.search(pattern, label, flags=re.IGNORECASE)]


# --------------------------------------------------------------------------- content

# (what, regular expression a label must match, how many labels at least)
COMPONENTS = [
    ("AWS account", r"\bAWS account\b", 1),
    ("region eu-west-1", r"\bRegion eu-west-1\b", 1),
    ("VPC with its CIDR", r"\bVPC 10\.20\.0\.0/16\b", 1),
    ("two availability zones", r"\bAvailability Zone [12]\b", 2),
    ("public subnet per AZ", r"\bPublic subnet 10\.20\.(0|16)\.0/20\b", 2),
    ("private app subnet per AZ", r"\bPrivate app subnet 10\.20\.(64|80)\.0/20\b", 2),
    ("private data subnet per AZ", r"\bPrivate data subnet 10\.20\.(128|144)\.0/20\b", 2),
    ("internet gateway", r"\bInternet gateway\b", 1),
    ("NAT gateway", r"\bNAT gateway\b", 1),
    ("application load balancer", r"\bApplication Load Balancer\b", 1),
    ("auto scaling group 1-2 at CPU 70 %", r"Auto Scaling group.*min 1 / max 2.*CPU 70 %", 1),
    ("t3.micro web servers", r"\bWeb server\b.*\bt3\.micro\b", 2),
    ("bastion host", r"\bBastion host\b.*\bt3\.micro\b.*\bSSH 22\b", 1),
    ("RDS PostgreSQL db.t3.micro", r"\bRDS PostgreSQL\b.*\bdb\.t3\.micro\b", 1),
    ("RDS backups kept 7 days", r"\bbackups\b.*\b7 days\b", 1),
    ("Multi-AZ standby", r"\bMulti-AZ\b", 1),
    ("DynamoDB sessions table", r"\bDynamoDB\b.*\bsessions\b", 1),
    ("EFS mount targets", r"\bEFS\b.*\bmount\b.*\btarget\b", 2),
    ("EFS product images", r"\bEFS\b.*\bproduct images\b", 1),
    ("S3 static assets", r"\bS3\b.*\bstatic assets\b", 1),
    ("gateway endpoints", r"\b(S3|DynamoDB) gateway endpoint\b", 2),
    ("Secrets Manager DB secret", r"\bSecrets Manager\b.*\bDB secret\b", 1),
    ("KMS key", r"\bKMS\b.*\bkey\b", 1),
    (
        "CloudWatch logs, alarms, dashboard",
        r"\bCloudWatch\b.*\blogs\b.*\balarms\b.*\bdashboard\b",
        1,
    ),
    ("CloudWatch log retention 7 days", r"\bCloudWatch\b.*\b7 days\b", 1),
    ("SNS alerts by e-mail", r"\bSNS\b.*\be-mail\b", 1),
    ("AWS Budgets", r"\bAWS Budgets\b", 1),
    ("per-tier network ACLs", r"\b(public|app|data) NACL\b", 3),
    ("CodePipeline", r"\bCodePipeline\b", 1),
    ("CodeBuild stages", r"\(CodeBuild\)", 3),
    ("CodeBuild checks", r"\bChecks\b.*\bCodeBuild\b", 1),
    ("CodeBuild plan with saved plan", r"\bPlan\b.*\bCodeBuild\b.*\bsaved plan\b", 1),
    ("manual approval", r"\bManual approval\b", 1),
    ("CodeBuild apply of the saved plan", r"\bApply\b.*\bCodeBuild\b.*\bsaved plan\b", 1),
    ("self-service portal", r"\bSelf-service portal\b", 1),
    ("Flask portal", r"\bFlask\b", 1),
    ("Celery worker running Terraform", r"\bCelery worker\b.*\bterraform plan\b", 1),
    ("Redis broker", r"\bRedis\b", 1),
    ("portal PostgreSQL", r"^PostgreSQL\b", 1),
    ("engineers' browser", r"\bEngineers' browser\b", 1),
    ("pipeline callbacks to the portal", r"\bwebhook callbacks\b", 1),
    ("legend", r"^Legend$", 1),
]


@pytest.mark.parametrize(("what", "pattern", "count"), COMPONENTS, ids=[c[0] for c in COMPONENTS])
def test_diagram_shows_component(labels: list[str], what: str, pattern: str, count: int) -> None:
    found = matching(labels, pattern)
    assert len(found) >= count, (
        f"the diagram should show {what} (/{pattern}/ at least {count}x), found {found}"
    )


# (flow, label on the edge) for the security group rules the diagram draws
SECURITY_GROUP_FLOWS = [
    ("internet to ALB", r"^80 / 443$"),
    ("ALB to web servers", r"^80, 443$"),
    ("web and bastion to RDS", r"^5432$"),
    ("web servers to EFS", r"^2049$"),
    ("operators to bastion", r"^SSH 22$"),
]


@pytest.mark.parametrize(
    ("flow", "pattern"), SECURITY_GROUP_FLOWS, ids=[f[0] for f in SECURITY_GROUP_FLOWS]
)
def test_diagram_labels_security_group_flows(
    diagram_cells: list[dict[str, str]], flow: str, pattern: str
) -> None:
    edges = [c["label"] for c in diagram_cells if c.get("edge") == "1" and c["label"]]
    assert matching(edges, pattern), f"no edge labelled /{pattern}/ for {flow}; edges: {edges}"


def test_diagram_uses_aws4_shapes(diagram_cells: list[dict[str, str]]) -> None:
    styles = " ".join(cell.get("style", "") for cell in diagram_cells)
    for icon in (
        "group_vpc",
        "group_region",
        "application_load_balancer",
        "nat_gateway",
        "internet_gateway",
        "t3_instance",
        "group_auto_scaling_group",
        "resIcon=mxgraph.aws4.rds",
        "resIcon=mxgraph.aws4.dynamodb",
        "resIcon=mxgraph.aws4.s3",
        "resIcon=mxgraph.aws4.codepipeline",
        "resIcon=mxgraph.aws4.codebuild",
    ):
        assert icon in styles, f"expected an mxgraph.aws4 shape with {icon!r}"


def test_diagram_edges_connect_existing_cells(diagram_cells: list[dict[str, str]]) -> None:
    ids = [cell.get("id") for cell in diagram_cells]
    assert len(ids) == len(set(ids)), "cell ids must be unique"
    known = set(ids)
    for cell in diagram_cells:
        for end in ("source", "target", "parent"):
            if cell.get(end):
                assert cell[end] in known, f"cell {cell.get('id')} has unknown {end} {cell[end]}"


def test_compressed_diagrams_are_read() -> None:
    plain = ET.fromstring(DRAWIO.read_text(encoding="utf-8"))  # noqa: S314 - repository file
    page = plain.find("diagram")
    assert page is not None
    model = page.find("mxGraphModel")
    assert model is not None
    compressed = ET.Element("diagram", {"id": "p", "name": "compressed"})
    compressed.text = compress_model(ET.tostring(model, encoding="unicode"))
    decoded = decode_diagram(compressed)
    assert [c["label"] for c in cells(decoded)] == [c["label"] for c in cells(model)]


# --------------------------------------------------------------------------- rendered image


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking its signature and every chunk's CRC."""
    assert data.startswith(PNG_SIGNATURE), "not a PNG file"
    offset, size, chunks = len(PNG_SIGNATURE), None, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in chunk {kind!r}"
        chunks.append(kind)
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        offset += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND", f"malformed chunk list {chunks}"
    assert b"IDAT" in chunks, "PNG has no image data"
    assert size is not None
    return size


def test_png_is_a_valid_image_readable_on_github() -> None:
    assert PNG.is_file(), f"{PNG.relative_to(ROOT)} is missing: run docs/diagram/render.mjs"
    width, height = png_size(PNG.read_bytes())
    assert 1600 <= width <= 2400, f"PNG is {width} px wide; render at GitHub width (~1600-2000)"
    assert 600 <= height <= 2400, f"PNG is {height} px high"


def test_png_was_rendered_from_the_current_drawio() -> None:
    assert RENDERED_FROM.is_file(), "docs/diagram/rendered-from.sha256 is missing: re-render"
    recorded = RENDERED_FROM.read_text(encoding="utf-8").split()[0]
    current = hashlib.sha256(DRAWIO.read_bytes()).hexdigest()
    assert recorded == current, (
        "docs/architecture.drawio changed since docs/architecture.png was rendered: "
        "run `cd docs/diagram && npm ci && node render.mjs` and commit the new images"
    )
