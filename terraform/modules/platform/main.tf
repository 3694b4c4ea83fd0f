# The whole e-commerce platform, composed from one module per concern. Environment
# roots (terraform/environments/*) call this module and differ only in its inputs.
# Each area's module calls live in a topic file: network.tf, web.tf, data.tf,
# monitoring.tf.

locals {
  # Resource name prefix, e.g. "shop-prod". Validated through its parts.
  name = "${var.project}-${var.environment}"
}
