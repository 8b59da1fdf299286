//! I1–I6, I11 end to end: preview, integrate, list, details, cancel — and both accounts end
//! exactly as they were, badge dates included, while a record added to the target after the
//! integration stays with the target.

use super::*;
use crate::harness::*;
use serde_json::json;

/// A source and a target with overlapping records: a paused quiz in both, a master-mode
/// quiz in both, a badge both hold, a badge only the source holds, a certificate each.
async fn pair(app: &TestApp) -> (String, String) {
    let source = account(app, "old-account", "invalid").await;
    let target = account(app, "new-account", "valid").await;
    score(app, &source, "quiz-paused", "paused", 30).await;
    score(app, &target, "quiz-paused", "paused", 10).await;
    score(app, &source, "quiz-master", "master", 5).await;
    score(app, &target, "quiz-master", "master", 40).await;
    score(app, &source, "quiz-plain", "completed", 1).await;
    badge(app, &source, "gold", 100).await;
    badge(app, &target, "gold", 200).await;
    badge(app, &source, "silver", 150).await;
    certificate(app, &source, "cert-old").await;
    certificate(app, &target, "cert-new").await;
    (source, target)
}

fn visible(scores: &[Value], material: &str) -> Vec<Value> {
    scores
        .iter()
        .filter(|s| s["material_id"] == material && s["superseded"] == false)
        .cloned()
        .collect()
}

#[tokio::test]
async fn i1_i6_integrate_then_cancel_restores_both_accounts_exactly() {
    let app = TestApp::new().await;
    let (source, target) = pair(&app).await;
    let before_source = records(&app, &source).await;
    let before_target = records(&app, &target).await;

    // I11: the preview names the moves and conflicts and writes nothing.
    let body = json!({"source_user_id": source, "target_user_id": target});
    let resp = app
        .send("POST", &app.owner, "/api/v1/integrations/preview", &body)
        .await;
    resp.assert_status_is_ok();
    let preview = json_of(resp).await;
    assert_eq!(preview["counts"]["scores_moved"], 3, "{preview}");
    assert_eq!(preview["counts"]["badges_merged"], 1);
    assert_eq!(preview["counts"]["badges_moved"], 1);
    assert_eq!(preview["counts"]["access_log_moved"], 1);
    assert_eq!(preview["badge_conflicts"][0]["badge_id"], "gold");
    assert_eq!(preview["paused_conflicts"][0]["winner_side"], "source");
    assert_eq!(preview["master_conflicts"][0]["winner_side"], "target");
    assert_eq!(preview["certificates_kept"], 1);
    assert_eq!(records(&app, &source).await, before_source, "preview wrote");

    let id = integrate_ok(&app, &source, &target).await;
    let [scores, badges, certificates, logins] = records(&app, &target).await;
    assert_eq!(scores.len(), 5, "every score moved, superseded ones kept");
    // I4: the paused quiz resumes from the latest paused attempt; master mode continues
    // from the latest result; the losers are kept, not shown.
    let paused = visible(&scores, "quiz-paused");
    assert_eq!(paused.len(), 1);
    assert_eq!(paused[0]["studied_at"], at(30));
    let master = visible(&scores, "quiz-master");
    assert_eq!(master.len(), 1);
    assert_eq!(master[0]["studied_at"], at(40));
    let shown = json_of(
        app.get(&app.owner, &format!("/api/v1/users/{target}/scores"))
            .await,
    )
    .await;
    assert_eq!(shown["items"].as_array().unwrap().len(), 3, "{shown}");
    // I3: the badge both held carries the source's award date on the target.
    let gold: Vec<_> = badges.iter().filter(|b| b["badge_id"] == "gold").collect();
    assert_eq!(gold.len(), 1);
    assert_eq!(gold[0]["awarded_at"], at(100));
    assert_eq!(badges.len(), 2);
    // I2: certificates stay where they were.
    assert_eq!(certificates.len(), 1);
    assert_eq!(certificates[0]["certificate_key"], "cert-new");
    assert_eq!(every(&app, &source, "certificates").await.len(), 1);
    assert_eq!(logins.len(), 2, "the source's login history moved");
    assert!(every(&app, &source, "scores").await.is_empty());

    // I5: the list finds it by date, source and target; details show what moved.
    let list = |query: String| {
        let app = &app;
        async move {
            let resp = app
                .get(&app.owner, &format!("/api/v1/integrations{query}"))
                .await;
            resp.assert_status_is_ok();
            json_of(resp).await["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(list(String::new()).await, 1);
    assert_eq!(list("?source=OLD-acc".into()).await, 1);
    assert_eq!(list(format!("?target={target}")).await, 1);
    assert_eq!(list(format!("?source={target}")).await, 0);
    assert_eq!(list("?target=old".into()).await, 0);
    let today = app.clock_now().date_naive();
    assert_eq!(list(format!("?from={today}&to={today}")).await, 1);
    let tomorrow = today.succ_opt().unwrap();
    assert_eq!(list(format!("?from={tomorrow}")).await, 0);
    assert_eq!(list(format!("?to={}", today.pred_opt().unwrap())).await, 0);
    let bad = app
        .get(&app.owner, "/api/v1/integrations?from=yesterday")
        .await;
    assert_problem(bad, 422, "validation_failed").await;

    let details = json_of(
        app.get(&app.owner, &format!("/api/v1/integrations/{id}"))
            .await,
    )
    .await;
    assert_eq!(details["integration"]["state"], "live");
    assert_eq!(details["integration"]["source_login_id"], "old-account");
    assert_eq!(details["integration"]["cancellable"], true);
    assert_eq!(details["scores_visible"], true);
    assert_eq!(details["scores"].as_array().unwrap().len(), 3);
    assert_eq!(details["badges"].as_array().unwrap().len(), 2);
    assert_eq!(details["logins"].as_array().unwrap().len(), 1);

    // Records added to the target afterwards stay with the target (I6).
    let later = score(&app, &target, "quiz-paused", "paused", 500).await;
    let later_badge = badge(&app, &target, "bronze", 600).await;

    let items = cancel(&app, &app.owner, &[&id]).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["status"], "done", "{items:?}");
    assert_eq!(items[0]["summary"]["scores_returned"], 3);
    assert_eq!(records(&app, &source).await, before_source);
    let mut expected_target = before_target.clone();
    expected_target[0].push(later);
    expected_target[0].sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    expected_target[1].push(later_badge);
    expected_target[1].sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    assert_eq!(records(&app, &target).await, expected_target);

    let details = json_of(
        app.get(&app.owner, &format!("/api/v1/integrations/{id}"))
            .await,
    )
    .await;
    assert_eq!(details["integration"]["state"], "cancelled");
    assert_eq!(details["integration"]["cancellable"], false);
    assert!(details["integration"]["cancelled_at"].is_string());

    // Cancelling twice: the second answers its own code, nothing moves.
    let again = cancel(&app, &app.owner, &[&id]).await;
    assert_eq!(again[0]["status"], "failed");
    assert_eq!(again[0]["code"], "integration_already_cancelled");
    assert_eq!(records(&app, &source).await, before_source);
}

#[tokio::test]
async fn i12_bulk_integrates_each_pair_on_its_own_with_a_status() {
    let app = TestApp::new().await;
    let s1 = account(&app, "s1", "invalid").await;
    account(&app, "t1", "valid").await;
    account(&app, "s2", "valid").await;
    score(&app, &s1, "quiz", "completed", 1).await;
    let csv =
        "\u{feff}Target_Login_ID,source_login_id\r\nt1,s1\r\nt1,s2\r\nt1,nobody\r\n\r\nt1,s1\r\n";
    let resp = app
        .client
        .post("/api/v1/integrations/bulk")
        .header("Authorization", format!("Bearer {}", app.owner))
        .content_type("text/csv; charset=utf-8")
        .body(csv)
        .send()
        .await;
    resp.assert_status_is_ok();
    let result = json_of(resp).await;
    assert_eq!(result["done"], 1, "{result}");
    assert_eq!(result["failed"], 3);
    let items = result["items"].as_array().unwrap();
    assert_eq!(items[0]["line"], 2);
    assert_eq!(items[0]["status"], "done");
    assert!(items[0]["integration_id"].is_string());
    assert_eq!(items[1]["code"], "integration_source_not_invalid");
    assert_eq!(items[2]["code"], "not_found");
    assert_eq!(items[3]["line"], 6);
    assert_eq!(items[3]["code"], "integration_source_already_integrated");

    // A file of the wrong shape is refused whole, naming the line.
    let resp = app
        .client
        .post("/api/v1/integrations/bulk")
        .header("Authorization", format!("Bearer {}", app.owner))
        .content_type("text/csv")
        .body("source_login_id,target_login_id,extra\ns1,t1,x\n")
        .send()
        .await;
    let problem = assert_problem(resp, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "column_unknown", "{problem}");
    let resp = app
        .client
        .post("/api/v1/integrations/bulk")
        .header("Authorization", format!("Bearer {}", app.owner))
        .content_type("text/csv")
        .body("source_login_id,target_login_id\ns1\n")
        .send()
        .await;
    let problem = assert_problem(resp, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "line 2", "{problem}");
    let resp = app
        .client
        .post("/api/v1/integrations/bulk")
        .header("Authorization", format!("Bearer {}", app.owner))
        .content_type("application/json")
        .body("{}")
        .send()
        .await;
    assert_eq!(resp.0.status().as_u16(), 415);
}
