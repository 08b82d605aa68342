//! SLA policies, business-hours calendars and the business-time arithmetic of a case's
//! clocks.
