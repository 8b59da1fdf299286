//! The authorization matrix's world (P2–P5), built through the domain services as the owner:
//! groups A, A1 (below A) and B; a user in each; a manager (`users.edit`, scope
//! `member_groups`, direct member of A); a viewer (`users.view` over A); a learner in A.

use crate::harness::*;
use roster_app_http::{Adapters, SystemClock};
use roster_domain::authz::{NewGrant, Privilege, Scope, Subject};
use roster_domain::group::{GroupDescription, GroupName};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::password::PlainPassword;
use roster_domain::services::{
    CreateGroup, GrantService, GroupService, RegisterUser, UserService, load_actor,
};
use roster_domain::user::{Attributes, DisplayName, LoginId};
use roster_infra_crypto::{Argon2Hasher, HasherConfig, OsTokenGenerator};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Ids of everything in the world, and the sessions of its actors.
pub struct World {
    pub a: GroupId,
    pub a1: GroupId,
    pub b: GroupId,
    pub user_a: UserId,
    pub user_a1: UserId,
    pub user_b: UserId,
    pub manager: UserId,
    pub viewer: UserId,
    pub learner: UserId,
    pub manager_token: String,
    pub viewer_token: String,
    pub learner_token: String,
}

impl World {
    /// Builds the world in `app`'s database and logs its actors in.
    pub async fn build(app: &TestApp) -> Self {
        let adapters = Adapters::over_store(
            app.store.clone(),
            Arc::new(Argon2Hasher::new(HasherConfig::for_tests())),
            Arc::new(OsTokenGenerator),
            Arc::new(SystemClock),
        );
        let ports = adapters.ports;
        let owner_id = UserId::from_uuid(app.owner_id.parse().unwrap());
        let owner = load_actor(owner_id, ports.users.as_ref(), ports.grants.as_ref())
            .await
            .unwrap();
        let (groups, users, grants) = (
            GroupService::new(&ports),
            UserService::new(&ports),
            GrantService::new(&ports),
        );
        let group = |name: &str, parents: Vec<GroupId>| CreateGroup {
            name: GroupName::parse(name).unwrap(),
            external_code: None,
            description: GroupDescription::parse("").unwrap(),
            parent_ids: parents.into_iter().collect(),
        };
        let a = groups.create(&owner, group("A", vec![])).await.unwrap().id;
        let a1 = groups
            .create(&owner, group("A1", vec![a]))
            .await
            .unwrap()
            .id;
        let b = groups.create(&owner, group("B", vec![])).await.unwrap().id;
        let user = |login: &str, group: GroupId| RegisterUser {
            login_id: LoginId::parse(login).unwrap(),
            name: DisplayName::parse(login).unwrap(),
            email: None,
            password: Some(PlainPassword::new(PASSWORD)),
            status: None,
            expires_at: None,
            group_ids: BTreeSet::from([group]),
            attributes: Attributes::new(),
        };
        let mut ids = Vec::new();
        for (login, g) in [
            ("user-a", a),
            ("user-a1", a1),
            ("user-b", b),
            ("manager", a),
            ("viewer", b),
            ("learner", a),
        ] {
            ids.push(users.register(&owner, user(login, g)).await.unwrap().id);
        }
        let [user_a, user_a1, user_b, manager, viewer, learner] = ids[..] else {
            unreachable!()
        };
        let grant = |subject: UserId, privilege, scope| NewGrant {
            subject: Subject::User(subject),
            privilege,
            scope,
        };
        grants
            .create(
                &owner,
                grant(manager, Privilege::UsersEdit, Scope::MemberGroups),
            )
            .await
            .unwrap();
        grants
            .create(
                &owner,
                grant(viewer, Privilege::UsersView, Scope::groups([a]).unwrap()),
            )
            .await
            .unwrap();
        let (manager_token, _) = app.login_ok("manager", PASSWORD).await;
        let (viewer_token, _) = app.login_ok("viewer", PASSWORD).await;
        let (learner_token, _) = app.login_ok("learner", PASSWORD).await;
        Self {
            a,
            a1,
            b,
            user_a,
            user_a1,
            user_b,
            manager,
            viewer,
            learner,
            manager_token,
            viewer_token,
            learner_token,
        }
    }
}

/// Who acts in an authorization matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Who {
    Owner,
    Manager,
    Viewer,
    Learner,
    Anonymous,
}

impl Who {
    /// The actor's session token in `app` and `world` (`None` for anonymous).
    pub fn token(self, app: &TestApp, world: &World) -> Option<String> {
        match self {
            Who::Owner => Some(app.owner.clone()),
            Who::Manager => Some(world.manager_token.clone()),
            Who::Viewer => Some(world.viewer_token.clone()),
            Who::Learner => Some(world.learner_token.clone()),
            Who::Anonymous => None,
        }
    }
}

/// The status of one request as `token` (none: anonymous); a `null` body sends none.
pub async fn status(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> u16 {
    let req = match method {
        "GET" => app.client.get(path),
        "POST" => app.client.post(path),
        "PATCH" => app.client.patch(path),
        "PUT" => app.client.put(path),
        "DELETE" => app.client.delete(path),
        other => panic!("{other}"),
    };
    let req = match token {
        Some(token) => req.header("Authorization", format!("Bearer {token}")),
        None => req,
    };
    let req = if body.is_null() {
        req
    } else {
        req.body_json(&body)
    };
    req.send().await.0.status().as_u16()
}
