//! Every response the integration tests receive is checked against the published OpenAPI document
//! (`GET /api/v1/openapi.json`): a JSON body must match the schema documented for its operation and
//! status (or its `default` response, the API's error), and a status the operation documents
//! neither way is a failure too. So each real response of
//! every operation the tests reach, successes included, conforms to the contract other systems are
//! built from. (`tests/openapi/run.sh` checks the same with schemathesis, from outside, with
//! generated requests.)

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
};

use axum::http::{HeaderMap, Method, StatusCode, header};
use serde_json::Value;

/// The published document, and the validators built so far, by schema pointer.
struct Document {
    doc: Value,
    /// Path templates, split into segments, with the key of each in `paths`.
    templates: Vec<(Vec<String>, String)>,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

static DOCUMENT: LazyLock<Document> = LazyLock::new(|| {
    let (_, openapi) = tiepdan::http::api_router().split_for_parts();
    let doc = serde_json::to_value(&openapi).expect("the OpenAPI document serializes");
    let templates = doc["paths"]
        .as_object()
        .expect("the document has paths")
        .keys()
        .map(|k| (k.split('/').map(str::to_owned).collect(), k.clone()))
        .collect();
    Document { doc, templates, validators: Mutex::new(HashMap::new()) }
});

/// JSON Pointer escaping of one reference token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

impl Document {
    /// The `paths` key of the template `path` (without its query) matches, if any. A literal
    /// segment wins over a parameter (`/petitions/repeat-check` is not `/petitions/{id}`).
    fn template_of(&self, path: &str) -> Option<&str> {
        let segments: Vec<&str> = path.split('/').collect();
        self.templates
            .iter()
            .filter(|(t, _)| {
                t.len() == segments.len()
                    && t.iter()
                        .zip(&segments)
                        .all(|(t, s)| t == s || (t.starts_with('{') && t.ends_with('}')))
            })
            .max_by_key(|(t, _)| t.iter().filter(|s| !s.starts_with('{')).count())
            .map(|(_, key)| key.as_str())
    }

    fn validator(&self, pointer: &str) -> Arc<jsonschema::Validator> {
        let mut cache = self.validators.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(v) = cache.get(pointer) {
            return Arc::clone(v);
        }
        // The whole document is the root, so that `#/components/schemas/…` references resolve;
        // its own `$ref` points at the response's schema. Its other members are not keywords.
        let mut root = self.doc.clone();
        // A URI fragment: the braces of path templates are percent-encoded.
        let fragment = pointer.replace('{', "%7B").replace('}', "%7D");
        root["$ref"] = Value::String(format!("#{fragment}"));
        let validator = Arc::new(
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(&root)
                .unwrap_or_else(|e| panic!("the schema at {pointer} does not compile: {e}")),
        );
        cache.insert(pointer.to_owned(), Arc::clone(&validator));
        validator
    }
}

/// Checks one response of the router; panics, naming the operation, when it breaks the document.
pub fn check(method: &Method, uri: &str, status: StatusCode, headers: &HeaderMap, bytes: &[u8]) {
    let path = uri.split('?').next().unwrap_or(uri);
    let doc = &*DOCUMENT;
    // The frontend, Swagger UI and the document itself are not operations of the API.
    let Some(template) = doc.template_of(path) else { return };
    let method_key = method.as_str().to_ascii_lowercase();
    let operation = &doc.doc["paths"][template][&method_key];
    if operation.is_null() {
        // 405 from the router: not an operation.
        return;
    }
    let responses = &operation["responses"];
    // A status the operation does not list is answered by its `default` response, if it has one.
    let listed = status.as_u16().to_string();
    let code = if responses[&listed].is_null() { "default".to_owned() } else { listed };
    assert!(
        !responses[&code].is_null(),
        "{method} {uri} answered {status}, which {method} {template} does not document; body: {}",
        String::from_utf8_lossy(bytes)
    );
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json || responses[&code]["content"]["application/json"]["schema"].is_null() {
        return;
    }
    let body: Value = serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("{method} {uri} answered {status} with JSON that does not parse: {e}"));
    let pointer = format!(
        "/paths/{}/{method_key}/responses/{code}/content/{}/schema",
        escape(template),
        escape("application/json")
    );
    let validator = doc.validator(&pointer);
    let errors: Vec<String> =
        validator.iter_errors(&body).map(|e| format!("at {}: {e}", e.instance_path())).take(5).collect();
    assert!(
        errors.is_empty(),
        "{method} {uri} answered {status} with a body that breaks its schema ({method} {template}):\n  {}\nbody: {body}",
        errors.join("\n  ")
    );
}

#[cfg(test)]
mod checks {
    use super::*;

    fn json_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        headers
    }

    #[test]
    fn a_conforming_body_passes_and_paths_find_their_template() {
        let body = r#"{"id":1,"name":"UBND phường Mẫu","level":"commune","parent_id":null,"created_at":"2026-11-25T02:00:00Z"}"#;
        check(&Method::GET, "/api/v1/agencies/1", StatusCode::OK, &json_headers(), body.as_bytes());
        assert_eq!(
            DOCUMENT.template_of("/api/v1/petitions/repeat-check"),
            Some("/api/v1/petitions/repeat-check")
        );
        assert_eq!(DOCUMENT.template_of("/api/v1/petitions/7"), Some("/api/v1/petitions/{id}"));
        assert_eq!(DOCUMENT.template_of("/ho-so"), None, "a page of the frontend");
    }

    #[test]
    #[should_panic(expected = "breaks its schema")]
    fn a_body_that_breaks_its_schema_fails() {
        let body = br#"{"id":"one","name":"UBND","level":"Commune","parent_id":null,"created_at":"2026-11-25T02:00:00Z"}"#;
        check(&Method::GET, "/api/v1/agencies/1", StatusCode::OK, &json_headers(), body);
    }

    #[test]
    #[should_panic(expected = "breaks its schema")]
    fn an_error_must_have_the_error_shape() {
        check(
            &Method::GET,
            "/api/v1/agencies/1",
            StatusCode::IM_A_TEAPOT,
            &json_headers(),
            br#"{"message":"no"}"#,
        );
    }
}
