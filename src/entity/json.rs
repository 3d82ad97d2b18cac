//! A short JSON list kept in a text column (a session's participants, a visit's representatives,
//! a petition's documents, a clock's extensions and pauses), typed like every other column: it is
//! written as compact JSON (`[]` when empty, which the recomputation's SQL looks for) and read back
//! through serde, so a stored text that does not read is an error, never an empty list.

use sea_orm::{
    ActiveValue, ColIdx, DbErr, IntoActiveValue, QueryResult, TryGetError, TryGetable, Value,
    sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr},
};
use serde::{Serialize, de::DeserializeOwned};

/// A list stored as a JSON array in a text column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonList<T>(pub Vec<T>);

impl<T> Default for JsonList<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> JsonList<T> {
    /// The items.
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }
}

impl<T> From<Vec<T>> for JsonList<T> {
    fn from(items: Vec<T>) -> Self {
        Self(items)
    }
}

impl<T: Serialize> From<JsonList<T>> for Value {
    fn from(list: JsonList<T>) -> Self {
        // Lists of strings, numbers and plain structs always serialize.
        let text = serde_json::to_string(&list.0).expect("a list of plain values serializes");
        Value::String(Some(text))
    }
}

impl<T: DeserializeOwned> TryGetable for JsonList<T> {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        let text = String::try_get_by(res, index)?;
        serde_json::from_str(&text)
            .map(Self)
            .map_err(|e| TryGetError::DbErr(DbErr::Type(format!("a stored JSON list does not read: {e}"))))
    }
}

impl<T: DeserializeOwned> ValueType for JsonList<T> {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        let text = <String as ValueType>::try_from(value)?;
        serde_json::from_str(&text).map(Self).map_err(|_| ValueTypeErr)
    }

    fn type_name() -> String {
        "JsonList".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::Text
    }
}

impl<T> Nullable for JsonList<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

impl<T> IntoActiveValue<JsonList<T>> for JsonList<T>
where
    JsonList<T>: Into<Value>,
{
    fn into_active_value(self) -> ActiveValue<JsonList<T>> {
        ActiveValue::Set(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_compact_json_and_an_empty_one_is_brackets() {
        assert_eq!(Value::from(JsonList::<u32>::default()), Value::String(Some("[]".to_owned())));
        assert_eq!(
            Value::from(JsonList(vec!["Chủ tịch".to_owned(), "Thư ký".to_owned()])),
            Value::String(Some(r#"["Chủ tịch","Thư ký"]"#.to_owned()))
        );
        let back: JsonList<u32> = ValueType::try_from(Value::String(Some("[30,15]".to_owned()))).unwrap();
        assert_eq!(back, JsonList(vec![30, 15]));
        assert!(<JsonList<u32> as ValueType>::try_from(Value::String(Some("[".to_owned()))).is_err());
    }
}
