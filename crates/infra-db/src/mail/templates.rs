//! M2: the templates administrators saved; a kind with no row uses the built-in one.

use crate::convert::micros;
use crate::error::{corrupt, unexpected};
use crate::store::Store;
use chrono::Utc;
use roster_domain::Unexpected;
use roster_domain::ports::mail::{MailStoreError, TemplateStore};
use roster_domain::registration::{EmailTemplate, MailKind};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};

/// `email_templates`: one row per kind saved.
mod row {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "email_templates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub kind: String,
        pub subject: String,
        pub body: String,
        pub updated_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

impl TryFrom<row::Model> for EmailTemplate {
    type Error = Unexpected;

    fn try_from(saved: row::Model) -> Result<Self, Self::Error> {
        let kind = MailKind::parse(&saved.kind).ok_or_else(|| corrupt("mail kind", &saved.kind))?;
        EmailTemplate::new(kind, &saved.subject, &saved.body)
            .map_err(|e| corrupt("email template", e))
    }
}

#[async_trait::async_trait]
impl TemplateStore for Store {
    async fn get(&self, kind: MailKind) -> Result<Option<EmailTemplate>, MailStoreError> {
        let saved = row::Entity::find_by_id(kind.as_str().to_owned())
            .one(self.db())
            .await
            .map_err(unexpected)?;
        Ok(saved.map(EmailTemplate::try_from).transpose()?)
    }

    async fn put(&self, template: &EmailTemplate) -> Result<(), MailStoreError> {
        let saved = row::ActiveModel {
            kind: Set(template.kind().as_str().to_owned()),
            subject: Set(template.subject().to_owned()),
            body: Set(template.body().to_owned()),
            updated_at: Set(micros(Utc::now())),
        };
        row::Entity::insert(saved)
            .on_conflict(
                OnConflict::column(row::Column::Kind)
                    .update_columns([
                        row::Column::Subject,
                        row::Column::Body,
                        row::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(self.db())
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn reset(&self, kind: MailKind) -> Result<(), MailStoreError> {
        row::Entity::delete_by_id(kind.as_str().to_owned())
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(())
    }
}
