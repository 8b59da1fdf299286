//! The joining pages without a browser (A8): GET and POST through the TestClient as a
//! browser would send them — the form, the confirmation step, activation, invitation and
//! reset; CSRF refused without the token (403); hostile input comes back escaped; errors
//! keep the entered values but never the password.

use crate::harness::TestApp;
use crate::joining::{group, mail_to, publish, queued_mail, registration, wait_for_mail};
use poem::http::StatusCode;
use poem::test::TestResponse;
use serde_json::json;

/// A browser's state: its CSRF cookie.
struct Browser<'a> {
    app: &'a TestApp,
    cookie: Option<String>,
}

struct Page {
    status: u16,
    html: String,
    csp: String,
}

impl Page {
    fn csrf(&self) -> String {
        let start = self
            .html
            .find("name=\"csrf\" value=\"")
            .expect("a csrf field")
            + 19;
        let end = self.html[start..].find('"').unwrap();
        self.html[start..start + end].to_owned()
    }
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self { app, cookie: None }
    }

    async fn read(&mut self, resp: TestResponse) -> Page {
        if let Some(set) = resp.0.headers().get("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_owned();
            assert!(set.to_str().unwrap().contains("HttpOnly; SameSite=Strict"));
            self.cookie = Some(pair);
        }
        let status = resp.0.status().as_u16();
        let csp = resp
            .0
            .headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let html = resp.0.into_body().into_string().await.unwrap();
        Page { status, html, csp }
    }

    async fn get(&mut self, path: &str) -> Page {
        let mut req = self.app.client.get(path);
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", c);
        }
        let resp = req.send().await;
        self.read(resp).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let mut req = self.app.client.post(path).form(&form);
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", c);
        }
        let resp = req.send().await;
        self.read(resp).await
    }
}

const HOSTILE: &str = "<script>alert(1)</script>";

#[tokio::test]
async fn a8_register_through_a_url_with_a_code_confirm_and_activate() {
    let app = TestApp::new().await;
    registration(&app, true, true, None).await;
    let field = json!({"key": "school", "label": "School <b>name</b>", "type": "text",
                       "on_registration_form": true});
    app.send("POST", &app.owner, "/api/v1/settings/user-fields", &field)
        .await
        .assert_status(StatusCode::CREATED);
    let class = group(&app, "Page Class").await;
    let (_, token) = publish(&app, &class, json!([{ "code": "OPEN-SESAME" }])).await;
    let path = format!("/register/{token}");
    let mut b = Browser::new(&app);
    let form = b.get(&path).await;
    assert_eq!(form.status, 200);
    assert!(form.csp.contains("default-src 'none'"), "{}", form.csp);
    assert!(form.html.contains("name=\"code\""), "the URL has codes");
    assert!(form.html.contains("name=\"attr.school\""));
    assert!(
        form.html.contains("School &lt;b&gt;name&lt;&#x2f;b&gt;"),
        "labels are escaped"
    );
    let csrf = form.csrf();
    let values = [
        ("csrf", csrf.as_str()),
        ("step", "review"),
        ("login_id", "page-user"),
        ("name", HOSTILE),
        ("email", "page-user@example.com"),
        ("password", "Violet-Canyon-204!"),
        ("password_confirm", "Violet-Canyon-204!"),
        ("attr.school", "North"),
        ("code", "OPEN-SESAME"),
    ];
    let review = b.post(&path, &values).await;
    assert_eq!(review.status, 200, "{}", review.html);
    assert!(
        review
            .html
            .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
    );
    assert!(!review.html.contains(HOSTILE), "hostile input is never raw");
    assert!(
        queued_mail(&app).await.is_empty(),
        "the review step applies nothing"
    );
    let mut submit: Vec<(&str, &str)> = values.to_vec();
    submit[1] = ("step", "submit");
    let done = b.post(&path, &submit).await;
    assert_eq!(done.status, 200, "{}", done.html);
    assert!(
        done.html
            .contains("We sent a link to page-user@example.com")
    );

    let mail = mail_to(&app, "page-user@example.com", "activation").await;
    let activate = format!("/activate/{}", mail[0].token());
    let landing = b.get(&activate).await;
    assert_eq!(landing.status, 200);
    let csrf = landing.csrf();
    let activated = b.post(&activate, &[("csrf", csrf.as_str())]).await;
    assert_eq!(activated.status, 200, "{}", activated.html);
    assert!(activated.html.contains("You can log in now"));
    app.login_ok("page-user", "Violet-Canyon-204!").await;
}

#[tokio::test]
async fn a8_posts_without_the_csrf_token_are_refused() {
    let app = TestApp::new().await;
    registration(&app, true, true, None).await;
    let mut b = Browser::new(&app);
    let form = b.get("/register").await;
    let fields = [
        ("step", "submit"),
        ("login_id", "csrf-victim"),
        ("name", "Victim"),
        ("email", "victim@example.com"),
        ("password", "Violet-Canyon-204!"),
        ("password_confirm", "Violet-Canyon-204!"),
    ];
    // No token at all, then a wrong one, then the right one without the cookie.
    let refused = b.post("/register", &fields).await;
    assert_eq!(refused.status, 403);
    let mut wrong = fields.to_vec();
    wrong.push(("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    assert_eq!(b.post("/register", &wrong).await.status, 403);
    let csrf = form.csrf();
    let mut right = fields.to_vec();
    right.push(("csrf", csrf.as_str()));
    let mut cookieless = Browser::new(&app);
    assert_eq!(cookieless.post("/register", &right).await.status, 403);
    for path in [
        "/reset",
        "/activate/some-token",
        "/invite/some-token",
        "/reset/some-token",
    ] {
        assert_eq!(
            b.post(path, &[("password", "x")]).await.status,
            403,
            "{path}"
        );
    }
    assert!(queued_mail(&app).await.is_empty(), "nothing was applied");
    assert_eq!(b.post("/register", &right).await.status, 200);
}

#[tokio::test]
async fn a8_errors_keep_the_entered_values_but_never_the_password() {
    let app = TestApp::new().await;
    registration(&app, true, false, None).await;
    let mut b = Browser::new(&app);
    let csrf = b.get("/register").await.csrf();
    let page = b
        .post(
            "/register",
            &[
                ("csrf", csrf.as_str()),
                ("step", "review"),
                ("login_id", "kept-login"),
                ("name", HOSTILE),
                ("email", "not an address"),
                ("password", "Secret-Typed-Once-9!"),
                ("password_confirm", "Secret-Typed-Twice-9!"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.html.contains("value=\"kept-login\""));
    assert!(page.html.contains("id=\"error-email\""));
    assert!(page.html.contains("id=\"error-password_confirm\""));
    assert!(
        !page.html.contains("Secret-Typed"),
        "the password is never sent back"
    );
    assert!(!page.html.contains(HOSTILE));
}

#[tokio::test]
async fn a8_closed_registration_and_unknown_links_say_so() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    let closed = b.get("/register").await;
    assert_eq!(closed.status, 409);
    assert!(closed.html.contains("Registration is closed"));
    registration(&app, true, false, None).await;
    let unknown = b.get("/register/NoSuchRegistrationToken1").await;
    assert_eq!(unknown.status, 404);
    let landing = b.get("/activate/not-a-real-token").await;
    let csrf = landing.csrf();
    let refused = b
        .post("/activate/not-a-real-token", &[("csrf", csrf.as_str())])
        .await;
    assert_eq!(refused.status, 404);
    assert!(refused.html.contains("This link is not valid"));
}

#[tokio::test]
async fn u5_u10_invitation_and_reset_pages_set_the_password() {
    let app = TestApp::new().await;
    let user = app
        .create_user(&json!({"login_id": "page-invitee", "name": "I", "email": "pi@example.com"}))
        .await;
    let id = user["id"].as_str().unwrap();
    app.call(
        "POST",
        &app.owner,
        &format!("/api/v1/users/{id}/invitation"),
    )
    .await
    .assert_status_is_ok();
    let token = mail_to(&app, "pi@example.com", "invitation").await[0].token();
    let mut b = Browser::new(&app);
    let path = format!("/invite/{token}");
    let csrf = b.get(&path).await.csrf();
    let weak = b
        .post(
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("password", "abc"),
                ("password_confirm", "abc"),
            ],
        )
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.html.contains("id=\"error-password\""));
    let set = [
        ("csrf", csrf.as_str()),
        ("password", "Harbor-Willow-616!"),
        ("password_confirm", "Harbor-Willow-616!"),
    ];
    let done = b.post(&path, &set).await;
    assert_eq!(done.status, 200, "{}", done.html);
    app.login_ok("page-invitee", "Harbor-Willow-616!").await;

    // U10: the request page answers the same for a known and an unknown account.
    let csrf = b.get("/reset").await.csrf();
    let unknown = b
        .post(
            "/reset",
            &[("csrf", csrf.as_str()), ("login_id_or_email", "ghost")],
        )
        .await;
    let known = b
        .post(
            "/reset",
            &[
                ("csrf", csrf.as_str()),
                ("login_id_or_email", "pi@example.com"),
            ],
        )
        .await;
    assert_eq!((unknown.status, known.status), (200, 200));
    assert_eq!(unknown.html, known.html);
    let mail = wait_for_mail(&app, "pi@example.com", "password_reset", 1).await;
    let path = format!("/reset/{}", mail[0].token());
    let csrf = b.get(&path).await.csrf();
    let set = [
        ("csrf", csrf.as_str()),
        ("password", "Second-Willow-717!"),
        ("password_confirm", "Second-Willow-717!"),
    ];
    assert_eq!(b.post(&path, &set).await.status, 200);
    app.login_ok("page-invitee", "Second-Willow-717!").await;
}
