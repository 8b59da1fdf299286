//! One fresh application per test: an empty in-memory SQLite database, the owner created as
//! at first start, and helpers that speak the API the way a client does.

use chrono::{DateTime, Duration, Utc};
use poem::EndpointExt;
use poem::test::{TestClient, TestResponse};
use roster_app_http::{Adapters, HttpConfig, Roster, SystemClock, routes};
use roster_domain::clock::Clock;
use roster_domain::ports::password::PlainPassword;
use roster_domain::services::{BootstrapOutcome, OwnerConfig, SessionConfig, ensure_owner};
use roster_domain::user::{DisplayName, LoginId};
use roster_infra_crypto::{Argon2Hasher, HasherConfig, OsTokenGenerator};
use roster_infra_db::Store;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// A clock the test moves (S1 timeouts); starts at the real time.
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(Utc::now())))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// The SQL of every statement the app's store ran, in order.
#[derive(Clone, Default)]
pub struct Statements(Arc<Mutex<Vec<String>>>);

impl Statements {
    /// The statements `during` runs (P4: what one request costs the database).
    pub async fn during<T>(
        &self,
        during: impl std::future::Future<Output = T>,
    ) -> (T, Vec<String>) {
        let start = self.0.lock().unwrap().len();
        let out = during.await;
        let all = self.0.lock().unwrap();
        (out, all[start..].to_vec())
    }
}

/// The owner's login ID and password in every test app.
pub const OWNER: &str = "owner";
pub const OWNER_PASSWORD: &str = "Owner-Pass-1234!";
/// The password every user made through [`TestApp::user`] gets.
pub const PASSWORD: &str = "Correct-Horse-77!";

/// A running application and its database.
pub struct TestApp {
    pub client: TestClient<poem::endpoint::BoxEndpoint<'static>>,
    pub store: Store,
    /// The owner's session token.
    pub owner: String,
    pub owner_id: String,
    /// Where the routes are mounted (`""` at the root).
    pub base: String,
    /// The services' clock.
    pub clock: TestClock,
    /// Every statement the store ran.
    pub statements: Statements,
    /// The settings and hasher the app was built with, to build a second instance.
    config: HttpConfig,
    hasher: Argon2Hasher,
}

impl TestApp {
    /// A fresh app with default settings.
    pub async fn new() -> Self {
        Self::with(|_| {}).await
    }

    /// A fresh app whose HTTP settings `adjust` changes first.
    pub async fn with(adjust: impl FnOnce(&mut HttpConfig)) -> Self {
        Self::with_hasher(HasherConfig::for_tests(), adjust).await
    }

    /// A fresh app with this hasher, and HTTP settings `adjust` changes; mounted under
    /// `HttpConfig::base_path` when that is set, as a host would nest it.
    pub async fn with_hasher(hashing: HasherConfig, adjust: impl FnOnce(&mut HttpConfig)) -> Self {
        let store = Store::open("sqlite::memory:").await.unwrap();
        Self::over_store(store, hashing, adjust).await
    }

    /// A fresh app over the database at `url` (migrated here), with default settings.
    pub async fn on_database(url: &str) -> Self {
        let store = Store::open(url).await.unwrap();
        Self::over_store(store, HasherConfig::for_tests(), |_| {}).await
    }

    /// A fresh app over `store`, an empty migrated database.
    async fn over_store(
        mut store: Store,
        hashing: HasherConfig,
        adjust: impl FnOnce(&mut HttpConfig),
    ) -> Self {
        let statements = Statements::default();
        let seen = statements.clone();
        store.observe_statements(move |sql| seen.0.lock().unwrap().push(sql.to_owned()));
        let hasher = Argon2Hasher::new(hashing);
        let owner = OwnerConfig {
            login_id: LoginId::parse(OWNER).unwrap(),
            name: DisplayName::parse("The Owner").unwrap(),
            password: Some(PlainPassword::new(OWNER_PASSWORD)),
        };
        let created = ensure_owner(&store, &hasher, &OsTokenGenerator, &SystemClock, owner)
            .await
            .unwrap();
        assert!(matches!(created, BootstrapOutcome::Created { .. }));
        let mut config = HttpConfig {
            session: SessionConfig {
                dummy_hash: hasher.dummy_hash(),
                ..SessionConfig::default()
            },
            ..HttpConfig::default()
        };
        adjust(&mut config);
        let clock = TestClock::new();
        let endpoint = instance(&store, &clock, &hasher, config.clone());
        let base = config.base_path.clone();
        let client = TestClient::new(endpoint);
        let mut app = Self {
            client,
            store,
            owner: String::new(),
            owner_id: String::new(),
            base,
            clock,
            statements,
            config,
            hasher,
        };
        let (token, id) = app.login_ok(OWNER, OWNER_PASSWORD).await;
        app.owner = token;
        app.owner_id = id;
        app
    }

    /// A second instance of the service over the same database (what several `roster
    /// serve` processes on one PostgreSQL are), with the same settings.
    pub fn second_instance(&self) -> TestClient<poem::endpoint::BoxEndpoint<'static>> {
        TestClient::new(instance(
            &self.store,
            &self.clock,
            &self.hasher,
            self.config.clone(),
        ))
    }

    /// The services' current time.
    pub fn clock_now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Logs in; returns the raw response.
    pub async fn login(&self, login_id: &str, password: &str) -> TestResponse {
        self.client
            .post(format!("{}/api/v1/auth/login", self.base))
            .body_json(&json!({"login_id": login_id, "password": password}))
            .send()
            .await
    }

    /// Logs in and expects success: (token, user id).
    pub async fn login_ok(&self, login_id: &str, password: &str) -> (String, String) {
        let resp = self.login(login_id, password).await;
        resp.assert_status_is_ok();
        let body = json_of(resp).await;
        (
            body["token"].as_str().unwrap().to_owned(),
            body["user_id"].as_str().unwrap().to_owned(),
        )
    }

    /// GET with a token.
    pub async fn get(&self, token: &str, path: &str) -> TestResponse {
        self.client
            .get(path)
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
    }

    /// A request with a JSON body and a token.
    pub async fn send(&self, method: &str, token: &str, path: &str, body: &Value) -> TestResponse {
        let builder = match method {
            "POST" => self.client.post(path),
            "PATCH" => self.client.patch(path),
            "PUT" => self.client.put(path),
            "DELETE" => self.client.delete(path),
            other => panic!("no such method {other}"),
        };
        builder
            .header("Authorization", format!("Bearer {token}"))
            .body_json(body)
            .send()
            .await
    }

    /// Registers a user as the owner and returns it; fails the test unless 201.
    pub async fn create_user(&self, body: &Value) -> Value {
        let resp = self.send("POST", &self.owner, "/api/v1/users", body).await;
        resp.assert_status(poem::http::StatusCode::CREATED);
        json_of(resp).await
    }

    /// A request without a body and with a token.
    pub async fn call(&self, method: &str, token: &str, path: &str) -> TestResponse {
        let builder = match method {
            "GET" => self.client.get(path),
            "POST" => self.client.post(path),
            "PUT" => self.client.put(path),
            "DELETE" => self.client.delete(path),
            other => panic!("no such method {other}"),
        };
        builder
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
    }
}

/// The routes over `store`, mounted under `config.base_path` as a host would nest them.
fn instance(
    store: &Store,
    clock: &TestClock,
    hasher: &Argon2Hasher,
    config: HttpConfig,
) -> poem::endpoint::BoxEndpoint<'static> {
    let adapters = Adapters::over_store(
        store.clone(),
        Arc::new(hasher.clone()),
        Arc::new(OsTokenGenerator),
        Arc::new(clock.clone()),
    );
    let base = config.base_path.clone();
    if base.is_empty() {
        routes(Roster::new(adapters, config)).boxed()
    } else {
        poem::Route::new()
            .nest(base, routes(Roster::new(adapters, config)))
            .boxed()
    }
}

/// The response body as JSON.
pub async fn json_of(resp: TestResponse) -> Value {
    let text = resp.0.into_body().into_string().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts a problem response: status, `application/problem+json`, and the code.
pub async fn assert_problem(resp: TestResponse, status: u16, code: &str) -> Value {
    assert_eq!(resp.0.status().as_u16(), status, "status");
    let content_type = resp
        .0
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert_eq!(content_type, "application/problem+json", "content type");
    let body = json_of(resp).await;
    assert_eq!(body["code"], code, "code in {body}");
    assert_eq!(body["status"], status, "status in {body}");
    body
}
