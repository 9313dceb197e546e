//! JSON API for certification: a person's career, interviews, promotions, certificates
//! and HR's lists.

mod career;
mod exports;
mod models;

pub use career::CertificationApi;
pub use exports::CertificationExportsApi;
pub use models::{CareerOut, CertificateOut};

use poem_openapi::Tags;

#[derive(Tags)]
pub enum CertificationTags {
    /// Levels, interviews, promotions, certificates and lapses; HR lists
    Certification,
}
