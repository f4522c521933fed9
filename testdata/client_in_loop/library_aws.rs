// AWS SDK: loading the shared config or building a service client per iteration
// fires.
use aws_config::BehaviorVersion;

async fn config_per_item(buckets: &[String]) {
    for bucket in buckets {
        let a = aws_config::load_from_env().await; //~ client_in_loop
        let b = aws_config::load_defaults(BehaviorVersion::latest()).await; //~ client_in_loop
        let c = aws_config::from_env().region("eu-west-1").load().await; //~ client_in_loop
        let d = aws_config::defaults(BehaviorVersion::latest()).load().await; //~ client_in_loop
        let e = aws_config::ConfigLoader::default().behavior_version(BehaviorVersion::latest()).load().await; //~ client_in_loop
        println!("{bucket}");
        drop((a, b, c, d, e));
    }
}

async fn service_clients(config: &aws_config::SdkConfig, keys: &[String]) {
    for key in keys {
        let s3 = aws_sdk_s3::Client::new(config); //~ client_in_loop
        s3.get_object().bucket("b").key(key).send().await.unwrap();
        let s3_conf = aws_sdk_s3::config::Builder::from(config).force_path_style(true).build();
        let s3b = aws_sdk_s3::Client::from_conf(s3_conf); //~ client_in_loop
        let dynamo = aws_sdk_dynamodb::Client::new(config); //~ client_in_loop
        let dynamo_conf = aws_sdk_dynamodb::Config::new(config);
        let dynamo2 = aws_sdk_dynamodb::Client::from_conf(dynamo_conf); //~ client_in_loop
        let sqs = aws_sdk_sqs::Client::new(config); //~ client_in_loop
        let sqs_conf = aws_sdk_sqs::Config::new(config);
        let sqs2 = aws_sdk_sqs::Client::from_conf(sqs_conf); //~ client_in_loop
        let sns = aws_sdk_sns::Client::new(config); //~ client_in_loop
        let lambda = aws_sdk_lambda::Client::new(config); //~ client_in_loop
        let secrets = aws_sdk_secretsmanager::Client::new(config); //~ client_in_loop
        let sts = aws_sdk_sts::Client::new(config); //~ client_in_loop
        let kinesis = aws_sdk_kinesis::Client::new(config); //~ client_in_loop
        let ssm = aws_sdk_ssm::Client::new(config); //~ client_in_loop
        let ec2 = aws_sdk_ec2::Client::new(config); //~ client_in_loop
        let ecs_conf = aws_sdk_ecs::config::Builder::from(config).build();
        let ecs = aws_sdk_ecs::Client::from_conf(ecs_conf); //~ client_in_loop
        drop((s3b, dynamo, dynamo2, sqs, sqs2, sns, lambda, secrets, sts, kinesis, ssm, ec2, ecs));
    }
}

async fn shared(s3: &aws_sdk_s3::Client, keys: &[String]) {
    for key in keys {
        let c = s3.clone();
        c.get_object().bucket("b").key(key).send().await.unwrap();
        let _loader = aws_config::from_env().region("eu-west-1");
    }
}
