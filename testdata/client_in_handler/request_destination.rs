// A client built in a handler to send one request to a URL that the call's
// arguments name (a backup to a location the user typed in): the connection
// cannot be assumed reusable and how often it runs the code cannot show, so
// the default level stays silent and --pedantic reports it.
#[tauri::command]
async fn upload_backup(path: String, url: String) -> Result<(), String> {
    let body = std::fs::read(&path).map_err(|e| e.to_string())?;
    let http = reqwest::Client::new(); //~? client_in_handler
    let res = http.put(&url).body(body).send().await.map_err(|e| e.to_string())?;
    res.text().await.map(drop).map_err(|e| e.to_string())
}

#[tauri::command]
async fn download_backup(url: String) -> Result<Vec<u8>, String> {
    let res = reqwest::Client::new().get(&url).send().await.map_err(|e| e.to_string())?; //~? client_in_handler
    res.bytes().await.map(|b| b.to_vec()).map_err(|e| e.to_string())
}

// True case beside them: the argument names only a path on a fixed host.
#[tauri::command]
async fn download_named(name: String) -> Result<Vec<u8>, String> {
    let url = format!("https://backups.example/{name}");
    let res = reqwest::Client::new().get(&url).send().await.map_err(|e| e.to_string())?; //~ client_in_handler
    res.bytes().await.map(|b| b.to_vec()).map_err(|e| e.to_string())
}

// True: the method comes from the call, the host does not.
#[tauri::command]
async fn call_api(method: String, name: String) -> Result<String, String> {
    let m = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
    let url = format!("https://api.example/{name}");
    let res = reqwest::Client::new().request(m.clone(), url).send().await.map_err(|e| e.to_string())?; //~ client_in_handler
    res.text().await.map_err(|e| e.to_string())
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![upload_backup, download_backup, download_named, call_api])
        .run(tauri::generate_context!())
        .expect("tauri app");
}
