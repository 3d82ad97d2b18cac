//! Messages the register sends to citizens and staff (issue 17): by which channel, of what kind,
//! and where each one stands in the outbox.

str_enum! {
    /// How a message travels.
    pub enum MessageChannel {
        Email = "email",
        /// Through the ward's SMS gateway (an HTTP API).
        Sms = "sms",
    }
}

str_enum! {
    /// What a message tells; each kind has its Vietnamese template (`service::notifications::text`).
    pub enum MessageKind {
        /// The citizen: the petition was received, with its tracking code and link.
        Received = "received",
        /// The citizen: accepted for resolution, with the due date.
        Accepted = "accepted",
        /// The citizen: refused, with the ground.
        Refused = "refused",
        /// The citizen: guided to the competent body.
        Guided = "guided",
        /// The citizen: forwarded, to whom.
        Forwarded = "forwarded",
        /// The citizen: the deadline was extended, why and the new date.
        Extended = "extended",
        /// The citizen: the resolution was suspended, why.
        Suspended = "suspended",
        /// The citizen: the resolution resumed, with the new date.
        Resumed = "resumed",
        /// The citizen: the resolution was terminated, why.
        Terminated = "terminated",
        /// The citizen: resolved, the result and how to rate it.
        Resolved = "resolved",
        /// The citizen: a change of the holiday calendar moved the due date (the old and new
        /// date, the day that changed).
        DueMoved = "due_moved",
        /// A member of staff: a case was assigned to them.
        Assigned = "assigned",
        /// A member of staff: the morning's digest of their work overdue or nearly due.
        Digest = "digest",
    }
}

str_enum! {
    /// Where a message stands.
    pub enum MessageStatus {
        /// Waiting to be sent (first or again, at `next_attempt_at`).
        Pending = "pending",
        Sent = "sent",
        /// Given up after the last attempt.
        Failed = "failed",
    }
}
