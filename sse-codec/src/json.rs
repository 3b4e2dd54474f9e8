//! Event data from and to JSON, with serde.

use serde::{Serialize, de::DeserializeOwned};

use crate::event::Event;

impl Event {
    /// An event whose data is `value` serialized as compact JSON (always one line: JSON escapes
    /// line breaks inside strings).
    ///
    /// # Errors
    ///
    /// What `serde_json::to_vec` returns, for example a map with non-string keys.
    ///
    /// # Examples
    ///
    /// ```
    /// #[derive(serde::Serialize)]
    /// struct Tick { symbol: &'static str, price: f64 }
    ///
    /// let event = sse_codec::Event::json(&Tick { symbol: "ABC", price: 1.5 })?.with_event_type("tick");
    /// assert_eq!(event.data(), r#"{"symbol":"ABC","price":1.5}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        let json = serde_json::to_vec(value)?;
        // serde_json writes UTF-8 only, so the checked conversion cannot fail.
        let data = bytestring::ByteString::try_from(json).map_err(serde::ser::Error::custom)?;
        Ok(Event::new(data))
    }

    /// Parses the data as JSON.
    ///
    /// # Errors
    ///
    /// What `serde_json::from_str` returns when the data is not a `T`.
    pub fn parse_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.data())
    }
}
