# The web servers' IAM role, on its own so that data flows one way: the product
# images file system policy names this role as its only principal, and the web
# module (which mounts that file system) attaches its permissions and instance
# profile to it. Created inside the web module, the role would make web and
# product-images reference each other.

data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "${var.name}-web"
  description          = "Web servers of ${var.name}: sessions, assets, DB secret, product images, logs, metrics, Session Manager."
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  max_session_duration = 3600

  tags = { Name = "${var.name}-web" }
}
