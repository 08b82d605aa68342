//! What other contexts may ask of the teams context. They reach its read models only
//! through these functions, never through its tables.

pub use crate::access::{loader, require_admin};
pub use crate::commands::{channel, person, team};
pub use crate::read::{is_admin, ChannelById, PersonById, RoleById, TeamById, TeamsLoader};
