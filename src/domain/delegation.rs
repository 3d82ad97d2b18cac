//! Crowd delegations and group petitions (Law 42/2013 Arts. 29–30; ND 124/2020 Art. 6(2) as
//! amended): how many representatives a group may appoint.

/// People from which a group counts as multi-signatory (TT 07/2014 Art. 6(4); unverified under
/// TT 05/2021).
pub const MULTI_SIGNATORY_FROM: i32 = 5;

/// The representatives a group of `people` may appoint: 5–10 people: 1 or 2; more than 10: at
/// most 5; fewer than 5 people are not a delegation and appoint none (each speaks for themself,
/// or one may speak for the others: at most 1).
pub fn max_representatives(people: i32) -> u32 {
    match people {
        i32::MIN..=4 => 1,
        5..=10 => 2,
        _ => 5,
    }
}

/// Checks a group's representatives: `Err` with a Vietnamese message when there are too many.
pub fn check_representatives(people: i32, representatives: usize) -> Result<(), String> {
    let max = max_representatives(people) as usize;
    if representatives > max {
        return Err(match people {
            5..=10 => format!(
                "Nhóm từ 5 đến 10 người chỉ được cử 1 hoặc 2 người đại diện (đã cử {representatives})."
            ),
            p if p > 10 => {
                format!("Nhóm trên 10 người được cử tối đa 5 người đại diện (đã cử {representatives}).")
            }
            _ => format!("Nhóm dưới 5 người cử tối đa 1 người đại diện (đã cử {representatives})."),
        });
    }
    if representatives as i64 > i64::from(people) {
        return Err("Số người đại diện không thể lớn hơn số người trong đoàn.".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn representatives_by_group_size() {
        let table = [(1, 1), (4, 1), (5, 2), (10, 2), (11, 5), (300, 5)];
        for (people, max) in table {
            assert_eq!(max_representatives(people), max, "{people} people");
        }
        assert!(check_representatives(8, 2).is_ok());
        assert!(check_representatives(8, 3).is_err());
        assert!(check_representatives(25, 5).is_ok());
        assert!(check_representatives(25, 6).is_err());
        assert!(check_representatives(3, 2).is_err());
    }
}
