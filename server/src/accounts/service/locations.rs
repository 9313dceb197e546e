//! Managing locations (coffee shops).

use crate::accounts::domain::{LocationName, Principal};
use crate::accounts::storage::locations::{self, Location};
use crate::authz::{self, Action};
use crate::error::{AppError, FieldError};
use crate::state::AppState;

pub struct LocationDraft<'a> {
    pub name: &'a str,
    pub city: &'a str,
}

struct ValidLocation {
    name: LocationName,
    city: LocationName,
}

fn validate(draft: &LocationDraft<'_>) -> Result<ValidLocation, AppError> {
    let name = LocationName::parse(draft.name, "название");
    let city = LocationName::parse(draft.city, "город");
    match (name, city) {
        (Ok(name), Ok(city)) => Ok(ValidLocation { name, city }),
        (name, city) => Err(AppError::validation(
            [("name", name.err()), ("city", city.err())]
                .into_iter()
                .filter_map(|(field, err)| err.map(|m| FieldError::field(field, m)))
                .collect(),
        )),
    }
}

const TAKEN: &str = "кофейня с таким названием уже есть";

pub async fn list(state: &AppState, who: &Principal) -> Result<Vec<Location>, AppError> {
    authz::require(who, Action::ListLocations)?;
    Ok(locations::list(&state.db).await?)
}

pub async fn get(state: &AppState, who: &Principal, id: i32) -> Result<Location, AppError> {
    authz::require(who, Action::ListLocations)?;
    locations::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("location"))
}

pub async fn create(
    state: &AppState,
    who: &Principal,
    draft: LocationDraft<'_>,
) -> Result<Location, AppError> {
    authz::require(who, Action::ManageLocations)?;
    let valid = validate(&draft)?;
    locations::insert(&state.db, valid.name.as_str(), valid.city.as_str())
        .await
        .map_err(|e| super::unique_or_internal(e, "location_exists", "name", TAKEN))
}

pub async fn update(
    state: &AppState,
    who: &Principal,
    id: i32,
    draft: LocationDraft<'_>,
) -> Result<Location, AppError> {
    authz::require(who, Action::ManageLocations)?;
    let valid = validate(&draft)?;
    get(state, who, id).await?;
    locations::update(&state.db, id, valid.name.as_str(), valid.city.as_str())
        .await
        .map_err(|e| super::unique_or_internal(e, "location_exists", "name", TAKEN))
}

/// Deletes an empty location. One with people in it is refused: move or deactivate them
/// first, so no account is left pointing nowhere.
pub async fn delete(state: &AppState, who: &Principal, id: i32) -> Result<(), AppError> {
    authz::require(who, Action::ManageLocations)?;
    get(state, who, id).await?;
    let members = locations::member_count(&state.db, id).await?;
    if members > 0 {
        return Err(AppError::conflict(
            "location_in_use",
            format!("{members} people belong to this location; move them first."),
        ));
    }
    locations::delete(&state.db, id).await?;
    Ok(())
}
