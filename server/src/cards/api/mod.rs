//! JSON API for cards: reading, authoring, acknowledgements and content reloads.

mod authoring;
mod content;
pub mod models;
mod reading;

pub use authoring::AuthoringApi;
pub use content::ContentApi;
pub use reading::ReadingApi;

use poem_openapi::Tags;

#[derive(Tags)]
pub enum CardTags {
    /// ЖМП cards: list, read, confirm reading
    Cards,
    /// Writing cards: edit, history, diff, preview (trainer)
    Authoring,
    /// The content directory: reload and validation errors (trainer)
    Content,
}
