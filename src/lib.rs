//! connlint: finds network clients built per call and HTTP responses dropped unread.

pub mod catalog;
