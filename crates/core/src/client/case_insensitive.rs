//! Reads JSON whose keys may differ from our field names in case only.
//!
//! The vendor's scripts are PowerShell, whose property access ignores case
//! (`$result.resourceCategories` reads `ResourceCategories` just as well) [script], and the
//! audit report page's sample is PascalCase while the scripts read camelCase [page, script].
//! So a field matches a key whatever its case: `deserialize_struct` is told the struct's field
//! names, and renames each key of the object to the field it matches before serde sees it.
//! Keys that match no field pass through unchanged (and are ignored as usual).

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Value;

pub(crate) fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(Folded(value))
}

/// A JSON value whose objects, at every depth, are matched to struct fields ignoring case.
struct Folded(Value);

impl<'de> IntoDeserializer<'de, serde_json::Error> for Folded {
    type Deserializer = Folded;

    fn into_deserializer(self) -> Folded {
        self
    }
}

impl<'de> Deserializer<'de> for Folded {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter().map(Folded));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Object(map) => {
                let mut entries =
                    MapDeserializer::new(map.into_iter().map(|(k, v)| (k, Folded(v))));
                let value = visitor.visit_map(&mut entries)?;
                entries.end()?;
                Ok(value)
            }
            scalar => scalar.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Folded(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let Value::Object(map) = self.0 else {
            return Folded(self.0).deserialize_any(visitor);
        };
        let renamed = map.into_iter().map(|(key, value)| {
            let field = fields.iter().find(|f| f.eq_ignore_ascii_case(&key));
            (field.map_or(key, |f| (*f).to_string()), Folded(value))
        });
        let mut entries = MapDeserializer::new(renamed);
        let value = visitor.visit_map(&mut entries)?;
        entries.end()?;
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Outer {
        account_id: String,
        #[serde(default)]
        inner: Vec<Inner>,
        #[serde(default)]
        note: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Inner {
        policy_id: String,
        total_resource_count: u64,
    }

    #[test]
    fn keys_match_fields_whatever_their_case_at_every_depth() {
        let expected = Outer {
            account_id: "a".into(),
            inner: vec![Inner { policy_id: "p".into(), total_resource_count: 3 }],
            note: None,
        };
        let camel =
            json!({"accountId": "a", "inner": [{"policyId": "p", "totalResourceCount": 3}]});
        let pascal = json!({"AccountId": "a", "Inner": [{"PolicyId": "p", "TotalResourceCount": 3}], "Note": null});
        let shouting = json!({"ACCOUNTID": "a", "INNER": [{"POLICYID": "p", "totalresourcecount": 3}], "Extra": 1});
        for value in [camel, pascal, shouting] {
            assert_eq!(from_value::<Outer>(value).unwrap(), expected);
        }
    }

    #[test]
    fn the_same_field_twice_in_two_cases_is_refused() {
        let twice = json!({"accountId": "a", "AccountId": "b"});
        assert!(from_value::<Outer>(twice).is_err());
    }
}
