//! The authorization matrix for the users endpoints (P2–P5): owner; a manager with
//! `users.edit` scoped `member_groups` in A; a viewer with `users.view` over A; a learner
//! in A; anonymous — against users in A, in A1 (below A) and in B. Each actor runs in a
//! fresh world, in an order where deletes come last.

use crate::harness::*;
use crate::world::{Who, World, status};
use roster_domain::ids::{GroupId, UserId};
use serde_json::{Value, json};

/// Expected statuses for targets (A, A1, B).
type Row = [u16; 3];

struct Expect {
    /// Logins of exactly the users the list shows.
    list: &'static [&'static str],
    get: Row,
    patch: Row,
    password: Row,
    /// Creating a user in group A, A1, B (422 `unknown_group` for a group out of view).
    create: Row,
    delete: Row,
}

fn expected(who: Who) -> Expect {
    match who {
        Who::Owner => Expect {
            list: &[
                "owner", "user-a", "user-a1", "user-b", "manager", "viewer", "learner",
            ],
            get: [200; 3],
            patch: [200; 3],
            password: [204; 3],
            create: [201; 3],
            delete: [204; 3],
        },
        Who::Manager => Expect {
            list: &["user-a", "user-a1", "manager", "learner"],
            get: [200, 200, 404],
            patch: [200, 200, 404],
            password: [204, 204, 404],
            // A group out of view is answered as if it did not exist (P4): unknown_group.
            create: [201, 201, 422],
            delete: [204, 204, 404],
        },
        Who::Viewer => Expect {
            list: &["user-a", "user-a1", "manager", "learner"],
            get: [200, 200, 404],
            patch: [403, 403, 404],
            password: [403, 403, 404],
            // No `users.edit` anywhere: refused before any group is looked at.
            create: [403; 3],
            delete: [403, 403, 404],
        },
        Who::Learner => Expect {
            list: &[],
            get: [404; 3],
            patch: [404; 3],
            password: [404; 3],
            create: [403; 3],
            delete: [404; 3],
        },
        Who::Anonymous => Expect {
            list: &[],
            get: [401; 3],
            patch: [401; 3],
            password: [401; 3],
            create: [401; 3],
            delete: [401; 3],
        },
    }
}

async fn run(who: Who) {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let token = who.token(&app, &w);
    let token = token.as_deref();
    let e = expected(who);
    let targets: [UserId; 3] = [w.user_a, w.user_a1, w.user_b];
    let groups: [GroupId; 3] = [w.a, w.a1, w.b];

    let list = status(&app, token, "GET", "/api/v1/users?limit=500", Value::Null).await;
    if who == Who::Anonymous {
        assert_eq!(list, 401, "{who:?} list");
    } else {
        let body = json_of(app.get(token.unwrap(), "/api/v1/users?limit=500").await).await;
        let mut seen: Vec<String> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["login_id"].as_str().unwrap().to_owned())
            .collect();
        let mut want: Vec<String> = e.list.iter().map(|s| (*s).to_owned()).collect();
        seen.sort();
        want.sort();
        assert_eq!(seen, want, "{who:?} sees exactly the users in scope");
    }
    for (i, id) in targets.iter().enumerate() {
        let path = format!("/api/v1/users/{}", id.as_uuid());
        let got = status(&app, token, "GET", &path, Value::Null).await;
        assert_eq!(got, e.get[i], "{who:?} GET user #{i}");
        let got = status(&app, token, "PATCH", &path, json!({"name": "Renamed"})).await;
        assert_eq!(got, e.patch[i], "{who:?} PATCH user #{i}");
        let body = json!({"password": "Fresh-Password-42"});
        let got = status(&app, token, "PUT", &format!("{path}/password"), body).await;
        assert_eq!(got, e.password[i], "{who:?} PUT password of user #{i}");
    }
    for (i, g) in groups.iter().enumerate() {
        let body =
            json!({"login_id": format!("new-{i}"), "name": "New", "group_ids": [g.as_uuid()]});
        let got = status(&app, token, "POST", "/api/v1/users", body).await;
        assert_eq!(got, e.create[i], "{who:?} POST user in group #{i}");
    }
    for (i, id) in targets.iter().enumerate() {
        let path = format!("/api/v1/users/{}", id.as_uuid());
        let got = status(&app, token, "DELETE", &path, Value::Null).await;
        assert_eq!(got, e.delete[i], "{who:?} DELETE user #{i}");
    }
}

#[tokio::test]
async fn p4_matrix_owner() {
    run(Who::Owner).await;
}

#[tokio::test]
async fn p4_matrix_manager_member_groups() {
    run(Who::Manager).await;
}

#[tokio::test]
async fn p4_matrix_viewer() {
    run(Who::Viewer).await;
}

#[tokio::test]
async fn p4_matrix_learner() {
    run(Who::Learner).await;
}

#[tokio::test]
async fn p4_matrix_anonymous() {
    run(Who::Anonymous).await;
}
