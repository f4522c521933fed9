// Functions exported to a caller outside the crate (C, Python, JavaScript,
// Node.js, a Tauri frontend, uniffi bindings, PostgreSQL, an MCP client) run
// once per call of that caller, though nothing in the crate calls them.
use std::sync::{LazyLock, OnceLock};

static HTTP: LazyLock<reqwest::Client> = LazyLock::new(reqwest::Client::new);

mod c_abi {
    #[no_mangle]
    pub extern "C" fn fetch_len(code: i32) -> i32 {
        let c = reqwest::blocking::Client::new(); //~ client_in_handler
        let body = c.get("http://x").send().unwrap().text().unwrap();
        body.len() as i32 + code
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn ping() -> i32 {
        let c = reqwest::blocking::Client::new(); //~ client_in_handler
        c.get("http://x").send().unwrap().text().unwrap().len() as i32
    }

    // A shared client in a `OnceLock`: built once, clean.
    #[no_mangle]
    pub extern "C" fn shared_ping() -> i32 {
        static CLIENT: std::sync::OnceLock<reqwest::blocking::Client> = std::sync::OnceLock::new();
        let c = CLIENT.get_or_init(|| reqwest::blocking::Client::new());
        c.get("http://x").send().unwrap().text().unwrap().len() as i32
    }

    // `extern "C"` without `#[no_mangle]` (a callback handed to C by pointer):
    // nothing shows how often it runs, clean.
    pub extern "C" fn on_event(code: i32) -> i32 {
        let c = reqwest::blocking::Client::new();
        c.get("http://x").send().unwrap().text().unwrap().len() as i32 + code
    }
}

mod python {
    use pyo3::prelude::*;

    // Reached from an exported function: per call through the call graph.
    fn lookup(name: &str) -> String {
        let c = reqwest::blocking::Client::new(); //~ client_per_call
        c.get(name).send().unwrap().text().unwrap()
    }

    #[pyfunction]
    fn resolve(name: String) -> PyResult<String> {
        Ok(lookup(&name))
    }

    #[pyclass]
    struct Api;

    #[pymethods]
    impl Api {
        fn get(&self, url: String) -> String {
            let c = reqwest::blocking::Client::new(); //~ client_in_handler
            c.get(format!("http://api/{url}")).send().unwrap().text().unwrap()
        }
    }

    // The module initializer runs once; the function it declares is exported.
    #[pymodule]
    fn ext(m: &Bound<'_, PyModule>) -> PyResult<()> {
        #[pyfunction]
        fn fetch(url: String) -> String {
            let c = reqwest::blocking::Client::new(); //~ client_in_handler
            c.get(format!("http://api/{url}")).send().unwrap().text().unwrap()
        }
        m.add_function(wrap_pyfunction!(fetch, m)?)?;
        m.add_function(wrap_pyfunction!(resolve, m)?)
    }
}

mod wasm {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    pub async fn fetch(url: String) -> String {
        let c = reqwest::Client::new(); //~ client_in_handler
        c.get(format!("http://api/{url}")).send().await.unwrap().text().await.unwrap()
    }

    // `start` runs once when the module is instantiated: clean.
    #[wasm_bindgen(start)]
    pub async fn start() {
        let c = reqwest::Client::new();
        let _ = c.get("http://x").send().await.unwrap().text().await;
    }
}

mod node {
    use napi_derive::napi;

    #[napi]
    pub async fn fetch(url: String) -> String {
        let c = reqwest::Client::new(); //~ client_in_handler
        c.get(format!("http://api/{url}")).send().await.unwrap().text().await.unwrap()
    }
}

mod desktop {
    #[tauri::command]
    pub async fn notify(url: String) {
        let _ = super::HTTP.post(format!("http://api/{url}")).send().await; //~ unread_response_body
    }

    #[tauri::command]
    pub async fn fetch(url: String) -> Result<String, String> {
        let c = reqwest::Client::new(); //~ client_in_handler
        c.get(format!("http://api/{url}")).send().await.map_err(|e| e.to_string())?.text().await.map_err(|e| e.to_string())
    }
}

mod bindings {
    #[uniffi::export]
    pub fn fetch(url: String) -> String {
        let c = reqwest::blocking::Client::new(); //~ client_in_handler
        c.get(format!("http://api/{url}")).send().unwrap().text().unwrap()
    }
}

mod postgres_ext {
    use pgrx::prelude::*;

    #[pg_extern]
    fn http_get(url: &str) -> String {
        let c = reqwest::blocking::Client::new(); //~ client_in_handler
        c.get(format!("http://api/{url}")).send().unwrap().text().unwrap()
    }
}

mod mcp {
    use rmcp::{tool, tool_router};

    pub struct Server;

    #[tool_router]
    impl Server {
        #[tool(description = "fetch a page")]
        async fn fetch(&self, url: String) -> String {
            let c = reqwest::Client::new(); //~ client_in_handler
            c.get(format!("http://api/{url}")).send().await.unwrap().text().await.unwrap()
        }

        // Not a tool: a plain method nothing calls, clean.
        async fn helper(&self, url: String) -> String {
            let c = reqwest::Client::new();
            c.get(format!("http://api/{url}")).send().await.unwrap().text().await.unwrap()
        }
    }
}

// A shared client from an exported function: clean.
#[no_mangle]
pub extern "C" fn shared() -> i32 {
    static C: OnceLock<reqwest::blocking::Client> = OnceLock::new();
    let c = C.get_or_init(reqwest::blocking::Client::new);
    c.get("http://x").send().unwrap().text().unwrap().len() as i32
}
