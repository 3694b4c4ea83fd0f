# The repository's default assets, uploaded so the web tier has real files to sync.
# source_hash (not etag) triggers re-uploads: with SSE-KMS the ETag S3 returns is not
# the MD5 of the content, so an etag argument would show a change on every plan.

locals {
  assets = var.assets_dir == null ? toset([]) : fileset(var.assets_dir, "**")

  content_types = {
    css   = "text/css; charset=utf-8"
    js    = "text/javascript; charset=utf-8"
    mjs   = "text/javascript; charset=utf-8"
    map   = "application/json"
    json  = "application/json"
    html  = "text/html; charset=utf-8"
    txt   = "text/plain; charset=utf-8"
    xml   = "application/xml"
    svg   = "image/svg+xml"
    png   = "image/png"
    jpg   = "image/jpeg"
    jpeg  = "image/jpeg"
    gif   = "image/gif"
    webp  = "image/webp"
    avif  = "image/avif"
    ico   = "image/vnd.microsoft.icon"
    woff  = "font/woff"
    woff2 = "font/woff2"
  }
}

resource "aws_s3_object" "asset" {
  for_each = local.assets

  bucket       = aws_s3_bucket.this.id
  key          = each.key
  source       = "${var.assets_dir}/${each.key}"
  source_hash  = filemd5("${var.assets_dir}/${each.key}")
  content_type = lookup(local.content_types, lower(element(split(".", each.key), length(split(".", each.key)) - 1)), "application/octet-stream")
  kms_key_id   = var.kms_key_arn

  # Objects must be written under the bucket's encryption and ownership settings.
  depends_on = [
    aws_s3_bucket_server_side_encryption_configuration.this,
    aws_s3_bucket_ownership_controls.this,
  ]
}
