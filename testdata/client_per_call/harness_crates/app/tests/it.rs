#[tokio::test]
async fn proxies() {
    app_test_utils::spawn_rpc_proxy("http://localhost").await;
    stubs::fake_upstream("http://localhost").await;
}
