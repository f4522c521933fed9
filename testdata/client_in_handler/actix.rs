// actix-web: route attributes, `.to(handler)`, and the once-per-worker factory.
use actix_web::{App, HttpResponse, HttpServer, Responder, get, web};

#[get("/price")]
async fn price() -> impl Responder {
    let c = awc::Client::default(); //~ client_in_handler
    let body = c.get("http://prices").send().await.unwrap().body().await.unwrap();
    HttpResponse::Ok().body(body)
}

async fn quote(path: web::Path<String>) -> impl Responder {
    let c = reqwest::Client::new(); //~ client_in_handler
    HttpResponse::Ok().body(c.get(format!("http://quotes/{}", path.as_str())).send().await.unwrap().text().await.unwrap())
}

async fn shared(data: web::Data<reqwest::Client>) -> impl Responder {
    HttpResponse::Ok().body(data.get("http://x").send().await.unwrap().text().await.unwrap())
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        // Runs once per worker thread: the recommended place for an awc client.
        let client = awc::Client::default();
        App::new()
            .app_data(web::Data::new(client))
            .app_data(web::Data::new(reqwest::Client::new()))
            .service(price)
            .route("/quote/{id}", web::get().to(quote))
            .route("/shared", web::get().to(shared))
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
