//! A JSON response body encoded once and sent many times.
//!
//! poem-openapi's `Json<T>` turns the whole object into a `serde_json::Value` tree and
//! then writes that out, on every request: for a card, with its rendered sections and
//! Markdown source, that is most of the work of answering. Bodies many requests share
//! unchanged (a card between edits) are encoded once and kept; `Encoded<T>` sends the
//! kept bytes while the OpenAPI document still describes the body as `T`.

use std::marker::PhantomData;
use std::sync::OnceLock;

use bytes::Bytes;
use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::payload::Payload;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, MetaSchemaRef, Registry};
use poem_openapi::types::{ToJSON, Type};

/// The JSON encoding of a `T`.
pub struct Encoded<T> {
    bytes: Bytes,
    // `fn() -> T`: an encoding holds no `T`, so it is Send and Sync whatever `T` is.
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Encoded<T> {
    fn clone(&self) -> Self {
        Encoded {
            bytes: self.bytes.clone(),
            _type: PhantomData,
        }
    }
}

impl<T: ToJSON> Encoded<T> {
    /// Encodes `value` exactly as `Json<T>` would.
    pub fn new(value: &T) -> Encoded<T> {
        let json = value.to_json().unwrap_or_default();
        Encoded {
            // Writing a `Value` to memory fails only for non-string map keys, which a
            // `Value` cannot hold.
            bytes: serde_json::to_vec(&json).unwrap_or_default().into(),
            _type: PhantomData,
        }
    }

    /// The encoding kept in `slot`, made from `make()` by the first caller. The slot
    /// belongs to one cached value, so every encoding in it is of that value.
    pub fn kept(slot: &OnceLock<Bytes>, make: impl FnOnce() -> T) -> Encoded<T> {
        let bytes = slot.get_or_init(|| Encoded::new(&make()).bytes);
        Encoded {
            bytes: bytes.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> Encoded<T> {
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl<T: Type> Payload for Encoded<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Send> IntoResponse for Encoded<T> {
    fn into_response(self) -> Response {
        Response::builder()
            .content_type("application/json; charset=utf-8")
            .body(self.bytes)
    }
}

impl<T: Type> ApiResponse for Encoded<T> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: Self::CONTENT_TYPE,
                    schema: Self::schema_ref(),
                }],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

#[cfg(test)]
mod tests {
    use poem_openapi::Object;
    use poem_openapi::payload::Json;

    use super::*;

    #[derive(Object)]
    struct Sample {
        title: String,
        steps: Vec<String>,
        #[oai(skip_serializing_if_is_none)]
        note: Option<String>,
    }

    #[tokio::test]
    async fn sends_the_same_body_and_headers_as_json() {
        let sample = || Sample {
            title: "Гость <b>говорит</b> «спасибо»".into(),
            steps: vec!["Улыбнуться".into(), "Ответить \"пожалуйста\"".into()],
            note: None,
        };
        let encoded = Encoded::new(&sample());
        let ours = encoded.clone().into_response();
        let theirs = Json(sample()).into_response();
        assert_eq!(ours.status(), theirs.status());
        assert_eq!(ours.content_type(), theirs.content_type());
        let ours = ours.into_body().into_vec().await.unwrap();
        let theirs = theirs.into_body().into_vec().await.unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(encoded.bytes(), &ours[..]);
        let slot = OnceLock::new();
        let first = Encoded::kept(&slot, sample);
        let again = Encoded::<Sample>::kept(&slot, || unreachable!("encoded once"));
        assert_eq!(first.bytes(), &ours[..]);
        assert_eq!(again.bytes(), &ours[..]);
        assert_eq!(
            <Encoded<Sample> as ApiResponse>::meta().responses[0].content[0].content_type,
            <Json<Sample> as ApiResponse>::meta().responses[0].content[0].content_type
        );
    }
}
