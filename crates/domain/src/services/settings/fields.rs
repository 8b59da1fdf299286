//! U8: user information fields — administrators with `admin.settings` (scope `all`) define
//! custom profile fields. What happens to stored values when a field changes or goes is the
//! port's documented decision (`ports::fields`): changes keep them, deletion removes them.

use super::{SettingsError, SettingsService};
use crate::authz::{Actor, Privilege, Target, Visibility, is_allowed, visibility};
use crate::error::FieldError;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::services::audit::Details;
use crate::user::{FieldDefinition, FieldKey, FieldLabel, FieldType};

/// A change to a field (`PATCH /settings/user-fields/{key}`); `None` leaves it as it is.
/// The key never changes: it names the attribute and the CSV column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPatch {
    /// New label.
    pub label: Option<FieldLabel>,
    /// New type (a select's options are checked).
    pub field_type: Option<FieldType>,
    /// Whether a value is required.
    pub required: Option<bool>,
    /// Whether the registration form asks for it.
    pub on_registration_form: Option<bool>,
}

impl SettingsService {
    /// U8: the field definitions in display order. Readable with `admin.settings` (scope
    /// `all`) or by anyone who may see some users (`users.view` anywhere): they see the
    /// values, so they may see what the fields mean. Errors: `forbidden`; `unexpected`.
    pub async fn list_fields(&self, actor: &Actor) -> Result<Vec<FieldDefinition>, SettingsError> {
        let graph = self.groups.graph().await?;
        let settings = is_allowed(actor, &graph, Privilege::AdminSettings, &Target::Global);
        let sees_users = visibility(actor, &graph, Privilege::UsersView) != Visibility::Nothing;
        if !(settings || sees_users) {
            return Err(crate::authz::Denied::Forbidden.into());
        }
        Ok(self.fields.list().await?)
    }

    /// U8: adds a field at the end of the order. Errors: `forbidden`; `field_key_taken`;
    /// `unexpected`. Audited as `user_field.create`.
    pub async fn create_field(
        &self,
        actor: &Actor,
        definition: FieldDefinition,
    ) -> Result<FieldDefinition, SettingsError> {
        let key = definition.key().clone();
        let result = async {
            self.require_global(actor, Privilege::AdminSettings).await?;
            self.fields.create(&definition).await?;
            Ok(definition)
        }
        .await;
        let target = AuditTarget::new(AuditTargetKind::UserField, &key);
        self.auditor
            .record(
                actor,
                AuditAction::UserFieldCreate,
                target,
                Details::new(),
                result,
            )
            .await
    }

    /// U8: changes a field's label, type, required or form flag; stored values are kept.
    /// Errors: `forbidden`; `not_found`; `validation_failed` (a select's options);
    /// `unexpected`. Audited as `user_field.update` with the changed aspects.
    pub async fn update_field(
        &self,
        actor: &Actor,
        key: &FieldKey,
        patch: FieldPatch,
    ) -> Result<FieldDefinition, SettingsError> {
        let mut details = Details::new();
        let changed: Vec<&str> = [
            (patch.label.is_some(), "label"),
            (patch.field_type.is_some(), "type"),
            (patch.required.is_some(), "required"),
            (patch.on_registration_form.is_some(), "on_registration_form"),
        ]
        .into_iter()
        .filter_map(|(is, name)| is.then_some(name))
        .collect();
        details.insert("fields".into(), changed.join(","));
        let result = self.update_field_checked(actor, key, patch).await;
        let target = AuditTarget::new(AuditTargetKind::UserField, key);
        self.auditor
            .record(actor, AuditAction::UserFieldUpdate, target, details, result)
            .await
    }

    async fn update_field_checked(
        &self,
        actor: &Actor,
        key: &FieldKey,
        patch: FieldPatch,
    ) -> Result<FieldDefinition, SettingsError> {
        self.require_global(actor, Privilege::AdminSettings).await?;
        let current = self
            .fields
            .get(key)
            .await?
            .ok_or(crate::authz::Denied::NotFound)?;
        let updated = FieldDefinition::new(
            key.clone(),
            patch.label.unwrap_or_else(|| current.label().clone()),
            patch
                .field_type
                .unwrap_or_else(|| current.field_type().clone()),
            patch.required.unwrap_or(current.required()),
            patch
                .on_registration_form
                .unwrap_or(current.on_registration_form()),
        )
        .map_err(|e| SettingsError::Invalid(vec![FieldError::of("options", &e)]))?;
        if updated != current {
            self.fields.update(&updated).await?;
        }
        Ok(updated)
    }

    /// U8: deletes a field and, with it, its stored values (see `ports::fields`). Errors:
    /// `forbidden`; `not_found`; `unexpected`. Audited as `user_field.delete`.
    pub async fn delete_field(&self, actor: &Actor, key: &FieldKey) -> Result<(), SettingsError> {
        let result = async {
            self.require_global(actor, Privilege::AdminSettings).await?;
            self.fields.delete(key).await?;
            Ok(())
        }
        .await;
        let target = AuditTarget::new(AuditTargetKind::UserField, key);
        self.auditor
            .record(
                actor,
                AuditAction::UserFieldDelete,
                target,
                Details::new(),
                result,
            )
            .await
    }
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod tests;
