//! The authorization matrix for the groups, grants and explain endpoints (G1–G5, P2–P6):
//! owner; a manager with `users.edit` scoped `member_groups`, direct member of A; a viewer
//! with `users.view` over A; a learner in A with no grant; anonymous — against group A, A1
//! (below A) and B, and the users in them. One row per (actor, endpoint, target); each actor
//! runs in a fresh world, in an order where deletes come last.

use crate::groups::group_path;
use crate::harness::*;
use crate::world::{Who, World, status};
use poem::http::StatusCode;
use roster_domain::ids::{GroupId, UserId};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Expected statuses against (A, A1, B).
type Row = [u16; 3];

/// One endpoint's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Call {
    /// `GET /groups/{g}`.
    Get,
    /// `GET /groups/{g}/members`.
    Members,
    /// `PATCH /groups/{g}`.
    Patch,
    /// `POST /groups` with parent g.
    CreateBelow,
    /// `PUT /groups/{F_g}/parents/{E_g}` (two fresh children of g).
    Nest,
    /// `DELETE /groups/{F_g}/parents/{E_g}`.
    Unnest,
    /// `PUT /groups/{E_g}/members/{user_g}`.
    Join,
    /// `DELETE /groups/{E_g}/members/{user_g}`.
    Leave,
    /// `POST /grants` to user_g, `grades.view` over g.
    Grant,
    /// `DELETE /grants/{id}` of user_g's `users.view` over g.
    Revoke,
    /// `POST /authz/explain` (user_g, `users.view`, g).
    Explain,
    /// `DELETE /groups/{F_g}` (empty).
    DeleteEmpty,
    /// `DELETE /groups/{g}` (with members).
    Delete,
}

struct Expect {
    /// Names of exactly the groups the list shows.
    groups: &'static [&'static str],
    /// Logins of the subjects of exactly the grants the list shows.
    grants: &'static [&'static str],
    /// `POST /groups` with no parent.
    create_root: u16,
    rows: &'static [(Call, Row)],
}

const ALL_SUBJECTS: &[&str] = &["manager", "viewer", "user-a", "user-a1", "user-b"];

fn expected(who: Who) -> Expect {
    use Call::*;
    match who {
        Who::Owner => Expect {
            groups: &["A", "A1", "B"],
            grants: ALL_SUBJECTS,
            create_root: 201,
            rows: &[
                (Get, [200; 3]),
                (Members, [200; 3]),
                (Patch, [200; 3]),
                (CreateBelow, [201; 3]),
                (Nest, [204; 3]),
                (Unnest, [204; 3]),
                (Join, [204; 3]),
                (Leave, [204; 3]),
                (Grant, [201; 3]),
                (Revoke, [204; 3]),
                (Explain, [200; 3]),
                (DeleteEmpty, [204; 3]),
                (Delete, [204; 3]),
            ],
        },
        Who::Manager => Expect {
            groups: &["A", "A1"],
            grants: &["manager"],
            create_root: 403,
            rows: &[
                (Get, [200, 200, 404]),
                (Members, [200, 200, 404]),
                (Patch, [200, 200, 404]),
                (CreateBelow, [201, 201, 422]),
                (Nest, [204, 204, 404]),
                (Unnest, [204, 204, 404]),
                (Join, [204, 204, 404]),
                (Leave, [204, 204, 404]),
                (Grant, [403, 403, 404]),
                (Revoke, [403, 403, 404]),
                (Explain, [200, 200, 404]),
                (DeleteEmpty, [204, 204, 404]),
                (Delete, [403, 403, 404]),
            ],
        },
        Who::Viewer => Expect {
            groups: &["A", "A1"],
            grants: &["viewer"],
            create_root: 403,
            rows: &[
                (Get, [200, 200, 404]),
                (Members, [200, 200, 404]),
                (Patch, [403, 403, 404]),
                (CreateBelow, [403; 3]),
                (Nest, [403, 403, 404]),
                (Unnest, [403, 403, 404]),
                (Join, [403, 403, 404]),
                (Leave, [403, 403, 404]),
                (Grant, [403, 403, 404]),
                (Revoke, [403, 403, 404]),
                (Explain, [200, 200, 404]),
                (DeleteEmpty, [403, 403, 404]),
                (Delete, [403, 403, 404]),
            ],
        },
        Who::Learner => Expect {
            groups: &[],
            grants: &[],
            create_root: 403,
            rows: &[
                (Get, [404; 3]),
                (Members, [404; 3]),
                (Patch, [404; 3]),
                (CreateBelow, [403; 3]),
                (Nest, [404; 3]),
                (Unnest, [404; 3]),
                (Join, [404; 3]),
                (Leave, [404; 3]),
                (Grant, [404; 3]),
                (Revoke, [404; 3]),
                (Explain, [404; 3]),
                (DeleteEmpty, [404; 3]),
                (Delete, [404; 3]),
            ],
        },
        Who::Anonymous => Expect {
            groups: &[],
            grants: &[],
            create_root: 401,
            rows: &[
                (Get, [401; 3]),
                (Members, [401; 3]),
                (Patch, [401; 3]),
                (CreateBelow, [401; 3]),
                (Nest, [401; 3]),
                (Unnest, [401; 3]),
                (Join, [401; 3]),
                (Leave, [401; 3]),
                (Grant, [401; 3]),
                (Revoke, [401; 3]),
                (Explain, [401; 3]),
                (DeleteEmpty, [401; 3]),
                (Delete, [401; 3]),
            ],
        },
    }
}

/// The owner's extras for target g: two empty children E_g, F_g, and a grant to user_g of
/// `users.view` over g — no more than the manager holds there, so it may still manage user_g.
struct Extras {
    e: String,
    f: String,
    grant: String,
}

async fn extras(app: &TestApp, i: usize, g: GroupId, user: UserId) -> Extras {
    let g = g.as_uuid().to_string();
    let e = crate::groups::new_group(app, &app.owner, &format!("E{i}"), &[&g]).await;
    let f = crate::groups::new_group(app, &app.owner, &format!("F{i}"), &[&g]).await;
    let body = json!({"subject_user_id": user.as_uuid(), "privilege": "users.view",
                      "scope": {"kind": "groups", "group_ids": [g]}});
    let resp = app.send("POST", &app.owner, "/api/v1/grants", &body).await;
    resp.assert_status(StatusCode::CREATED);
    let grant = json_of(resp).await["id"].as_str().unwrap().to_owned();
    Extras { e, f, grant }
}

/// The sorted `field` of a list's items, mapped through `name`.
async fn listed(
    app: &TestApp,
    token: &str,
    path: &str,
    field: &str,
    name: &BTreeMap<String, String>,
) -> Vec<String> {
    let page = json_of(app.get(token, path).await).await;
    let mut seen: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let key = item[field].as_str().unwrap_or_default().to_owned();
            name.get(&key).cloned().unwrap_or(key)
        })
        .collect();
    seen.sort();
    seen
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

async fn run(who: Who) {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let token = who.token(&app, &w);
    let token = token.as_deref();
    let e = expected(who);
    let groups = [w.a, w.a1, w.b];
    let users = [w.user_a, w.user_a1, w.user_b];
    let names: BTreeMap<String, String> = [
        (w.manager, "manager"),
        (w.viewer, "viewer"),
        (w.user_a, "user-a"),
        (w.user_a1, "user-a1"),
        (w.user_b, "user-b"),
    ]
    .into_iter()
    .map(|(id, n)| (id.as_uuid().to_string(), n.to_owned()))
    .collect();

    let list = status(&app, token, "GET", "/api/v1/groups?limit=500", Value::Null).await;
    let grant_list = status(&app, token, "GET", "/api/v1/grants?limit=500", Value::Null).await;
    match token {
        None => assert_eq!((list, grant_list), (401, 401), "{who:?} lists"),
        Some(t) => {
            let seen = listed(
                &app,
                t,
                "/api/v1/groups?limit=500",
                "name",
                &BTreeMap::new(),
            )
            .await;
            assert_eq!(
                seen,
                sorted(e.groups),
                "{who:?} sees exactly the groups in scope"
            );
        }
    }

    let mut extra = Vec::new();
    for (i, (g, u)) in groups.iter().zip(users).enumerate() {
        extra.push(extras(&app, i, *g, u).await);
    }
    if let Some(t) = token {
        let seen = listed(
            &app,
            t,
            "/api/v1/grants?limit=500",
            "subject_user_id",
            &names,
        )
        .await;
        assert_eq!(seen, sorted(e.grants), "{who:?} sees exactly these grants");
    }

    let root = status(
        &app,
        token,
        "POST",
        "/api/v1/groups",
        json!({"name": "Root"}),
    )
    .await;
    assert_eq!(root, e.create_root, "{who:?} POST root group");

    for &(call, row) in e.rows {
        for i in 0..3 {
            let g = groups[i].as_uuid();
            let u = users[i].as_uuid();
            let x = &extra[i];
            let (method, path, body) = match call {
                Call::Get => ("GET", group_path(g), Value::Null),
                Call::Members => ("GET", format!("{}/members", group_path(g)), Value::Null),
                Call::Patch => ("PATCH", group_path(g), json!({"description": "edited"})),
                Call::CreateBelow => (
                    "POST",
                    "/api/v1/groups".to_owned(),
                    json!({"name": format!("New {i}"), "parent_ids": [g]}),
                ),
                Call::Nest => (
                    "PUT",
                    format!("{}/parents/{}", group_path(&x.f), x.e),
                    Value::Null,
                ),
                Call::Unnest => (
                    "DELETE",
                    format!("{}/parents/{}", group_path(&x.f), x.e),
                    Value::Null,
                ),
                Call::Join => (
                    "PUT",
                    format!("{}/members/{u}", group_path(&x.e)),
                    Value::Null,
                ),
                Call::Leave => (
                    "DELETE",
                    format!("{}/members/{u}", group_path(&x.e)),
                    Value::Null,
                ),
                Call::Grant => (
                    "POST",
                    "/api/v1/grants".to_owned(),
                    json!({"subject_user_id": u, "privilege": "grades.view",
                           "scope": {"kind": "groups", "group_ids": [g]}}),
                ),
                Call::Revoke => ("DELETE", format!("/api/v1/grants/{}", x.grant), Value::Null),
                Call::Explain => (
                    "POST",
                    "/api/v1/authz/explain".to_owned(),
                    json!({"user_id": u, "privilege": "users.view", "target_group_id": g}),
                ),
                Call::DeleteEmpty => ("DELETE", group_path(&x.f), Value::Null),
                Call::Delete => ("DELETE", group_path(g), Value::Null),
            };
            let got = status(&app, token, method, &path, body).await;
            assert_eq!(got, row[i], "{who:?} {call:?} target #{i}: {method} {path}");
        }
    }
}

#[tokio::test]
async fn p4_groups_matrix_owner() {
    run(Who::Owner).await;
}

#[tokio::test]
async fn p4_groups_matrix_manager_member_groups() {
    run(Who::Manager).await;
}

#[tokio::test]
async fn p4_groups_matrix_viewer() {
    run(Who::Viewer).await;
}

#[tokio::test]
async fn p4_groups_matrix_learner() {
    run(Who::Learner).await;
}

#[tokio::test]
async fn p4_groups_matrix_anonymous() {
    run(Who::Anonymous).await;
}
