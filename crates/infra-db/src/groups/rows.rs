//! Group rows at the seam: a row becomes a `Group` only when the domain accepts every field.

use super::entity::Model;
use crate::error::corrupt;
use roster_domain::Unexpected;
use roster_domain::group::{ExternalCode, Group, GroupDescription, GroupName};
use roster_domain::ids::GroupId;

impl TryFrom<Model> for Group {
    type Error = Unexpected;

    fn try_from(row: Model) -> Result<Self, Self::Error> {
        Ok(Group {
            id: GroupId::from_uuid(row.id),
            name: GroupName::parse(&row.name).map_err(|e| corrupt("group name", e))?,
            external_code: row
                .external_code
                .as_deref()
                .map(ExternalCode::parse)
                .transpose()
                .map_err(|e| corrupt("group external code", e))?,
            description: GroupDescription::parse(&row.description)
                .map_err(|e| corrupt("group description", e))?,
        })
    }
}

/// The row a group is stored as.
pub(super) fn row_of(group: &Group) -> Model {
    Model {
        id: group.id.as_uuid(),
        name: group.name.as_str().to_owned(),
        name_key: group.name.key().to_owned(),
        external_code: group.external_code.as_ref().map(|c| c.as_str().to_owned()),
        description: group.description.as_str().to_owned(),
    }
}
