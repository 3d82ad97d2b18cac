//! The HTTP API, one module per resource. Handlers are slim: extract, authorize (first visible
//! line), call one service function, map to a view. Each module's `router()` is an
//! `OpenApiRouter`, so the OpenAPI document is generated from the handlers themselves.

pub mod agencies;
pub mod attachments;
pub mod auth;
pub mod calendar;
pub mod context;
pub mod extract;
pub mod frontend;
pub mod health;
pub mod my;
pub mod notices;
pub mod outbox;
pub mod oversight;
pub mod petitions;
pub mod public;
pub mod rate_limit;
pub mod reception;
pub mod reports;
pub mod retention;
pub mod reviews;
pub mod units;
pub mod users;

use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;

/// The OpenAPI document's frame; paths come from the routers below.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "tiepdan API",
        description = "Sổ tiếp công dân và xử lý đơn thư của Ủy ban nhân dân: phiên tiếp công dân, \
                       đơn khiếu nại, tố cáo, kiến nghị, phản ánh, thời hạn luật định.",
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    tags(
        (name = "system", description = "Health"),
        (name = "auth", description = "Đăng nhập, đăng ký"),
        (name = "users", description = "Tài khoản cán bộ"),
        (name = "units", description = "Đơn vị"),
        (name = "agencies", description = "Cơ quan (UBND)"),
        (name = "petitions", description = "Đơn thư: tiếp nhận, phân loại, xử lý, thời hạn"),
        (name = "public", description = "Cổng công dân"),
        (name = "calendar", description = "Lịch ngày làm việc, ngày nghỉ lễ và tính hạn"),
        (name = "reception", description = "Tiếp công dân: lịch tiếp, sổ tiếp công dân, từ chối tiếp, kết luận, giao ban tuần"),
        (name = "oversight", description = "Giám sát: nhật ký tài khoản, nhật ký truy cập thông tin cá nhân"),
        (name = "reports", description = "Báo cáo định kỳ, bảng điều hành của Chủ tịch"),
        (name = "retention", description = "Thời hạn lưu đơn và hủy đơn theo quyết định của Thủ trưởng"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}

/// Every API route, with its OpenAPI description.
pub fn api_router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(auth::router())
        .merge(users::router())
        .merge(units::router())
        .merge(agencies::router())
        .merge(calendar::router())
        .merge(petitions::router())
        .merge(notices::router())
        .merge(attachments::router())
        .merge(public::router())
        .merge(my::router())
        .merge(reception::router())
        .merge(reviews::router())
        .merge(reports::router())
        .merge(outbox::router())
        .merge(oversight::router())
        .merge(retention::router());
    let mut router =
        OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(health::router()).nest("/api/v1", v1);
    document_errors(router.get_openapi_mut());
    router
}

/// Gives every operation, as its `default` response, the JSON error any endpoint may answer
/// besides the statuses it lists (a bad query, path or body, a missing token, a body too large,
/// too many requests, a server error…), so that clients and conformance checks know its shape.
fn document_errors(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{Content, Ref, ResponseBuilder};
    let error = ResponseBuilder::new()
        .description("Lỗi: JSON `{\"error\":{\"code\",\"message\",\"fields\"?}}` với mã ổn định.")
        .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
        .build();
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            operation.responses.responses.entry("default".to_owned()).or_insert_with(|| error.clone().into());
        }
    }
}
