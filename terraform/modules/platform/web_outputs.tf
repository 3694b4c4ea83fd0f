output "load_balancer" {
  description = "The Application Load Balancer: dns_name, url (of the shop), arn, target_group_arn, access_log_bucket_name."
  value = {
    dns_name               = module.load_balancer.alb_dns_name
    url                    = module.load_balancer.url
    arn                    = module.load_balancer.alb_arn
    target_group_arn       = module.load_balancer.target_group_arn
    access_log_bucket_name = module.load_balancer.access_log_bucket_name
  }
}

output "web" {
  description = "The web servers: autoscaling_group_name, launch_template_id, subnet_ids, placement (private or public), instance_role_name, scaling_policy_name, cpu_target_percent (CPU the group is held at), log_group_names (nginx-access, nginx-error, app, system), app_artifact_parameter_name and cloudwatch_agent_parameter_name (SSM parameters)."
  value = {
    autoscaling_group_name          = module.web.autoscaling_group_name
    launch_template_id              = module.web.launch_template_id
    subnet_ids                      = module.web.subnet_ids
    placement                       = module.web.placement
    instance_role_name              = module.web_role.name
    scaling_policy_name             = module.web.scaling_policy_name
    cpu_target_percent              = module.web.cpu_target_percent
    log_group_names                 = module.web.log_group_names
    app_artifact_parameter_name     = module.web.app_artifact_parameter_name
    cloudwatch_agent_parameter_name = module.web.cloudwatch_agent_parameter_name
  }
}

output "bastion" {
  description = "The bastion: instance_id, public_ip (Elastic IP), ssh_command and db_tunnel_command (null without an SSH key), ssm_db_tunnel_command (keyless Session Manager port forwarding to the database; AWS CLI + Session Manager plugin)."
  value = {
    instance_id           = module.bastion.instance_id
    public_ip             = module.bastion.public_ip
    ssh_command           = module.bastion.ssh_command
    db_tunnel_command     = module.bastion.ssh_enabled ? "ssh -N -L 5432:${module.database.address}:${module.database.port} ec2-user@${module.bastion.public_ip}" : null
    ssm_db_tunnel_command = "aws ssm start-session --target ${module.bastion.instance_id} --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '{\"host\":[\"${module.database.address}\"],\"portNumber\":[\"${module.database.port}\"],\"localPortNumber\":[\"5432\"]}'"
  }
}
