// The finding names the type the code builds: an `AsyncSmtpTransport` made
// through a builder bound to a variable over several statements. A transport
// per mail is left to --pedantic: mail is rare and SMTP servers close idle
// connections quickly.
use lettre::{AsyncSmtpTransport, Tokio1Executor};

fn smtp_transport(host: &str, tls: bool) -> AsyncSmtpTransport<Tokio1Executor> {
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(587);
    let smtp = if tls { smtp.timeout(None) } else { smtp };
    smtp.build()
}

async fn send_reset_mail(axum::extract::Path(user): axum::extract::Path<String>) -> String {
    let transport = smtp_transport("smtp.example", true); //~? client_in_handler
    let _ = &transport;
    user
}
