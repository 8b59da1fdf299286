//! L1, L2, P4: who reads and writes whose learning records.

use super::*;
use crate::authz::Scope;
use crate::integration::fixtures::completed;
use crate::ports::records::MockLearningRecords;
use crate::services::testing::{Mocks, World, actor_of, admin, grant_to, now, user};
use std::collections::BTreeSet;

struct Scene {
    world: World,
    learner: crate::user::User,
    mocks: Mocks,
    records: MockLearningRecords,
}

impl Scene {
    /// A learner in class A of the school.
    fn new() -> Self {
        let world = World::new();
        let learner = user("learner");
        let mut mocks = Mocks::new();
        mocks.with_graph(&world.graph);
        mocks.with_user(&learner, BTreeSet::from([world.class_a]));
        mocks.users.expect_get().returning(|_| Ok(None));
        Self {
            world,
            learner,
            mocks,
            records: MockLearningRecords::new(),
        }
    }

    fn service(self) -> RecordService {
        RecordService::new(&self.mocks.ports(), Arc::new(self.records))
    }
}

fn new_score() -> NewScore {
    NewScore {
        material_id: MaterialId::parse("quiz").unwrap(),
        attempt: 1,
        score: Some(ScoreValue::from_thousandths(80_000).unwrap()),
        status: ScoreStatus::Completed,
        mode: QuizMode::Normal,
        studied_at: now(),
        study_seconds: 60,
    }
}

#[tokio::test]
async fn l2_scores_need_grades_view_over_the_user() {
    let mut s = Scene::new();
    let id = s.learner.id;
    let shown = completed(id, "quiz", 1);
    s.records
        .expect_list_scores()
        .times(1)
        .withf(move |u, superseded, p| *u == id && !*superseded && p.limit == 500)
        .returning(move |_, _, _| {
            Ok(Page {
                items: vec![shown.clone()],
                next_cursor: None,
            })
        });
    let school = s.world.school;
    let service = s.service();
    let grader = admin(Privilege::GradesView, Scope::groups([school]).unwrap());
    let page = PageRequest {
        limit: 9_999,
        cursor: None,
    };
    let got = service.scores(&grader, id, false, page).await.unwrap();
    assert_eq!(got.items.len(), 1);
    let viewer = admin(Privilege::UsersView, Scope::All);
    let err = service
        .scores(&viewer, id, false, PageRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden", "in view without grades.view");
}

#[tokio::test]
async fn p4_records_out_of_view_or_of_nobody_are_not_found() {
    let mut s = Scene::new();
    s.records.expect_list_scores().times(0);
    s.records.expect_list_badges().times(0);
    let (id, other) = (s.learner.id, s.world.other);
    let service = s.service();
    let outsider = admin(Privilege::GradesView, Scope::groups([other]).unwrap());
    let err = service
        .scores(&outsider, id, true, PageRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let viewer = admin(Privilege::UsersView, Scope::groups([other]).unwrap());
    let err = service
        .badges(&viewer, id, PageRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let all = admin(Privilege::UsersView, Scope::All);
    let err = service
        .badges(&all, UserId::new(), PageRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn l1_everyone_reads_their_own_records_but_writes_none_without_users_edit() {
    let mut s = Scene::new();
    let id = s.learner.id;
    s.records
        .expect_list_scores()
        .times(1)
        .returning(|_, _, _| Ok(Page::empty()));
    s.records
        .expect_list_access_log()
        .times(1)
        .returning(|_, _| Ok(Page::empty()));
    s.records.expect_add_score().times(0);
    let me = actor_of(&s.learner, BTreeSet::from([s.world.class_a]));
    let service = s.service();
    service
        .scores(&me, id, true, PageRequest::default())
        .await
        .unwrap();
    service
        .access_log(&me, id, PageRequest::default())
        .await
        .unwrap();
    let err = service.add_score(&me, id, new_score()).await.unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

#[tokio::test]
async fn l1_an_editor_adds_records_with_fresh_ids() {
    let mut s = Scene::new();
    let id = s.learner.id;
    s.records
        .expect_add_score()
        .times(1)
        .withf(move |sc| sc.user_id == id && !sc.superseded && sc.attempt == 1)
        .returning(|_| Ok(()));
    s.records
        .expect_add_badge()
        .times(1)
        .withf(move |b| b.user_id == id && b.awarded_at == now())
        .returning(|_| Ok(()));
    s.records
        .expect_add_certificate()
        .times(1)
        .returning(|_| Ok(()));
    let school = s.world.school;
    let service = s.service();
    let editor = admin(Privilege::UsersEdit, Scope::groups([school]).unwrap());
    let score = service.add_score(&editor, id, new_score()).await.unwrap();
    assert_eq!(score.user_id, id);
    let badge = NewBadge {
        badge_id: BadgeKey::parse("gold").unwrap(),
        awarded_at: None,
    };
    let award = service.add_badge(&editor, id, badge).await.unwrap();
    assert_eq!(award.awarded_at, now(), "no time given: now");
    let certificate = NewCertificate {
        certificate_key: CertificateKey::parse("course-1").unwrap(),
        material_id: None,
        issued_at: Some(now()),
    };
    service
        .add_certificate(&editor, id, certificate)
        .await
        .unwrap();
}

#[tokio::test]
async fn l1_a_write_racing_the_users_deletion_is_not_found() {
    let mut s = Scene::new();
    s.records
        .expect_add_score()
        .returning(|_| Err(AddRecordError::UserNotFound));
    let id = s.learner.id;
    let mut editor = admin(Privilege::UsersEdit, Scope::All);
    editor
        .grants
        .push(grant_to(editor.user_id, Privilege::UsersView, Scope::All));
    let err = s
        .service()
        .add_score(&editor, id, new_score())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}
