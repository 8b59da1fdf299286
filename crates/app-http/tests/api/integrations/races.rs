//! I10 races over HTTP, on two instances of the service over one database (SQLite in
//! memory, and PostgreSQL when configured): two integrations of one source at once,
//! integrate racing cancel, cancel twice — exactly one wins, the others get 409 with a
//! code, and nothing is half done.

use super::backend;
use super::*;
use crate::harness::*;
use serde_json::json;

const ROUNDS: usize = 4;

/// Runs `race` on SQLite in memory, then on a fresh PostgreSQL database when configured.
async fn on_both<F, Fut>(race: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    race(TestApp::new().await).await;
    if let Some(pg) = backend::postgres().await {
        race(TestApp::on_database(&pg.url).await).await;
        pg.drop_database().await;
    }
}

async fn post(client: &TestClient, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let resp = client
        .post(path)
        .header("Authorization", format!("Bearer {token}"))
        .body_json(body)
        .send()
        .await;
    let status = resp.0.status().as_u16();
    (status, json_of(resp).await)
}

type TestClient = poem::test::TestClient<poem::endpoint::BoxEndpoint<'static>>;

/// Where the source's three scores are: the owner of each, as the API reads them.
async fn owners_of_scores(app: &TestApp, users: &[&str]) -> Vec<usize> {
    let mut counts = Vec::new();
    for user in users {
        counts.push(every(app, user, "scores").await.len());
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn i10_two_integrations_of_one_source_at_once_exactly_one_wins() {
    on_both(|app| async move {
        let other = app.second_instance();
        for round in 0..ROUNDS {
            let source = account(&app, &format!("s{round}"), "invalid").await;
            let t1 = account(&app, &format!("a{round}"), "valid").await;
            let t2 = account(&app, &format!("b{round}"), "valid").await;
            for minute in 0..3 {
                score(&app, &source, &format!("q{minute}"), "completed", minute).await;
            }
            let one = json!({"source_user_id": source, "target_user_id": t1});
            let two = json!({"source_user_id": source, "target_user_id": t2});
            let path = "/api/v1/integrations";
            let (a, b) = tokio::join!(
                post(&app.client, &app.owner, path, &one),
                post(&other, &app.owner, path, &two)
            );
            let mut statuses = [a.0, b.0];
            statuses.sort_unstable();
            assert_eq!(statuses, [201, 409], "{a:?} {b:?}");
            let loser = if a.0 == 409 { &a.1 } else { &b.1 };
            let code = loser["code"].as_str().unwrap();
            assert!(
                code == "integration_source_already_integrated" || code == "integration_conflict",
                "{loser}"
            );
            let winner = if a.0 == 201 { &t1 } else { &t2 };
            let loser_target = if a.0 == 201 { &t2 } else { &t1 };
            let counts = owners_of_scores(&app, &[&source, winner, loser_target]).await;
            assert_eq!(
                counts,
                vec![0, 3, 0],
                "all moved to the winner, none elsewhere"
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn i10_cancel_twice_at_once_exactly_one_wins() {
    on_both(|app| async move {
        let other = app.second_instance();
        for round in 0..ROUNDS {
            let source = account(&app, &format!("s{round}"), "invalid").await;
            let target = account(&app, &format!("t{round}"), "valid").await;
            score(&app, &source, "quiz", "completed", 1).await;
            badge(&app, &source, "gold", 1).await;
            badge(&app, &target, "gold", 9).await;
            let before = (records(&app, &source).await, records(&app, &target).await);
            let id = integrate_ok(&app, &source, &target).await;
            let body = json!({ "ids": [id] });
            let path = "/api/v1/integrations/cancel";
            let (a, b) = tokio::join!(
                post(&app.client, &app.owner, path, &body),
                post(&other, &app.owner, path, &body)
            );
            assert_eq!((a.0, b.0), (200, 200));
            let mut outcomes = [
                a.1["items"][0]["status"].as_str().unwrap().to_owned(),
                b.1["items"][0]["status"].as_str().unwrap().to_owned(),
            ];
            outcomes.sort();
            assert_eq!(outcomes, ["done", "failed"], "{a:?} {b:?}");
            let failed = if a.1["items"][0]["status"] == "failed" {
                &a.1
            } else {
                &b.1
            };
            assert_eq!(failed["items"][0]["code"], "integration_already_cancelled");
            let after = (records(&app, &source).await, records(&app, &target).await);
            assert_eq!(after, before, "restored once, exactly");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn i10_integrate_racing_cancel_ends_in_one_consistent_state() {
    on_both(|app| async move {
        let other = app.second_instance();
        for round in 0..ROUNDS {
            let source = account(&app, &format!("s{round}"), "invalid").await;
            let first = account(&app, &format!("a{round}"), "valid").await;
            let second = account(&app, &format!("b{round}"), "valid").await;
            score(&app, &source, "quiz", "completed", 1).await;
            let id = integrate_ok(&app, &source, &first).await;
            let again = json!({"source_user_id": source, "target_user_id": second});
            let ids = json!({ "ids": [id] });
            let (cancelled, integrated) = tokio::join!(
                post(&app.client, &app.owner, "/api/v1/integrations/cancel", &ids),
                post(&other, &app.owner, "/api/v1/integrations", &again)
            );
            assert_eq!(cancelled.0, 200);
            assert_eq!(cancelled.1["items"][0]["status"], "done", "{cancelled:?}");
            let counts = owners_of_scores(&app, &[&source, &first, &second]).await;
            match integrated.0 {
                // The integration came after the cancel: the score is with the second target.
                201 => assert_eq!(counts, vec![0, 0, 1]),
                // It came while the first was live: refused, the score back with the source.
                409 => {
                    let code = integrated.1["code"].as_str().unwrap();
                    assert!(
                        code == "integration_source_already_integrated"
                            || code == "integration_conflict",
                        "{integrated:?}"
                    );
                    assert_eq!(counts, vec![1, 0, 0]);
                }
                other => panic!("unexpected {other}: {integrated:?}"),
            }
            let list = json_of(app.get(&app.owner, "/api/v1/integrations").await).await;
            let live = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["state"] == "live" && i["source_user_id"] == source.as_str())
                .count();
            assert!(live <= 1, "never two live integrations of one source");
        }
    })
    .await;
}
