//! What happens to a valid certificate: it stays, is renewed by passing the next quarterly
//! test, or lapses (failed, missed, or expired unrenewed). Pure.

use chrono::{DateTime, Utc};

/// The holder's part in one quarterly test campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub campaign_id: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub attempts_allowed: u32,
    /// Submitted attempts.
    pub submitted: u32,
    /// When the first passing attempt was submitted.
    pub passed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Failed,
    Missed,
    Expired,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Failed => "failed",
            Reason::Missed => "missed",
            Reason::Expired => "expired",
        }
    }

    pub fn label_ru(self) -> &'static str {
        match self {
            Reason::Failed => "не сдан квартальный тест",
            Reason::Missed => "пропущен квартальный тест",
            Reason::Expired => "истёк срок, тест не сдан",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Keep,
    Renew {
        at: DateTime<Utc>,
        campaign_id: i32,
    },
    Lapse {
        at: DateTime<Utc>,
        reason: Reason,
        campaign_id: Option<i32>,
    },
}

/// Judges a certificate issued at `issued_at`, valid until `valid_until`, by the first
/// quarterly test that opened after it was issued.
pub fn judge(
    issued_at: DateTime<Utc>,
    valid_until: DateTime<Utc>,
    now: DateTime<Utc>,
    outcomes: &[Outcome],
) -> Verdict {
    let next = outcomes
        .iter()
        .filter(|o| o.opens_at > issued_at && o.opens_at <= now)
        .min_by_key(|o| (o.closes_at, o.campaign_id));
    if let Some(o) = next {
        if let Some(at) = o.passed_at {
            return Verdict::Renew {
                at,
                campaign_id: o.campaign_id,
            };
        }
        if o.submitted >= o.attempts_allowed && o.submitted > 0 {
            return Verdict::Lapse {
                at: now,
                reason: Reason::Failed,
                campaign_id: Some(o.campaign_id),
            };
        }
        if now >= o.closes_at {
            return Verdict::Lapse {
                at: o.closes_at,
                reason: if o.submitted > 0 {
                    Reason::Failed
                } else {
                    Reason::Missed
                },
                campaign_id: Some(o.campaign_id),
            };
        }
        return Verdict::Keep;
    }
    if now >= valid_until {
        return Verdict::Lapse {
            at: valid_until,
            reason: Reason::Expired,
            campaign_id: None,
        };
    }
    Verdict::Keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, day, 12, 0, 0).unwrap()
    }

    fn outcome(opens: u32, closes: u32, submitted: u32, passed: Option<u32>) -> Outcome {
        Outcome {
            campaign_id: i32::try_from(opens).unwrap(),
            opens_at: t(opens),
            closes_at: t(closes),
            attempts_allowed: 2,
            submitted,
            passed_at: passed.map(t),
        }
    }

    #[test]
    fn the_next_test_decides() {
        let until = t(28);
        assert_eq!(judge(t(2), until, t(3), &[]), Verdict::Keep);
        // A test open before the certificate was issued does not count.
        assert_eq!(
            judge(t(5), until, t(6), &[outcome(1, 10, 0, None)]),
            Verdict::Keep
        );
        let open = [outcome(10, 20, 1, None)];
        assert_eq!(judge(t(2), until, t(12), &open), Verdict::Keep);
        assert_eq!(
            judge(t(2), until, t(21), &open),
            Verdict::Lapse {
                at: t(20),
                reason: Reason::Failed,
                campaign_id: Some(10)
            }
        );
        assert_eq!(
            judge(t(2), until, t(21), &[outcome(10, 20, 0, None)]),
            Verdict::Lapse {
                at: t(20),
                reason: Reason::Missed,
                campaign_id: Some(10)
            }
        );
        assert_eq!(
            judge(t(2), until, t(15), &[outcome(10, 20, 2, None)]),
            Verdict::Lapse {
                at: t(15),
                reason: Reason::Failed,
                campaign_id: Some(10)
            },
            "all attempts used without a pass"
        );
        assert_eq!(
            judge(t(2), until, t(15), &[outcome(10, 20, 1, Some(14))]),
            Verdict::Renew {
                at: t(14),
                campaign_id: 10
            }
        );
    }

    #[test]
    fn no_test_until_the_end_date_means_expiry() {
        let until = t(28);
        assert_eq!(
            judge(t(2), until, until + Duration::seconds(1), &[]),
            Verdict::Lapse {
                at: until,
                reason: Reason::Expired,
                campaign_id: None
            }
        );
    }
}
