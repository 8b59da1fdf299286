//! P4, S1, S2: how many database statements a request costs (issue 4's bench goals). The
//! counts are pinned so a change that adds a round trip per request is noticed; the SQL is
//! printed on failure.

use crate::harness::*;
use crate::world::World;

fn assert_count(what: &str, statements: &[String], expected: usize) {
    assert_eq!(
        statements.len(),
        expected,
        "{what}: {} statements\n{}",
        statements.len(),
        statements.join("\n")
    );
}

#[tokio::test]
async fn p4_an_authenticated_list_costs_few_statements() {
    let app = TestApp::new().await;
    let world = World::build(&app).await;
    // The owner: no groups, no grants.
    let (resp, sql) = app
        .statements
        .during(app.get(&app.owner, "/api/v1/users?limit=50"))
        .await;
    resp.assert_status_is_ok();
    assert_count("owner's list", &sql, 6);
    // A viewer with a group-scoped grant, listing what it may see.
    let (resp, sql) = app
        .statements
        .during(app.get(&world.viewer_token, "/api/v1/users?limit=50"))
        .await;
    resp.assert_status_is_ok();
    assert_count("viewer's list", &sql, 6);
}

#[tokio::test]
async fn s2_every_login_costs_the_same_statements() {
    let app = TestApp::new().await;
    let (resp, ok) = app
        .statements
        .during(app.login(OWNER, OWNER_PASSWORD))
        .await;
    resp.assert_status_is_ok();
    assert_count("successful login", &ok, 7);
    let (resp, wrong) = app
        .statements
        .during(app.login(OWNER, "wrong-password-1"))
        .await;
    assert_problem(resp, 401, "login_failed").await;
    let (resp, unknown) = app
        .statements
        .during(app.login("nobody-here", "wrong-password-1"))
        .await;
    assert_problem(resp, 401, "login_failed").await;
    assert_eq!(
        wrong, unknown,
        "an unknown login ID runs the same statements"
    );
    assert_count("failed login", &wrong, 4);
}
