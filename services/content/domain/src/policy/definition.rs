//! What an approval policy says: its steps, their conditions and signers,
//! and the delegated authority to publish routine posts.

use chorus_teams_domain::values::{Responsibility, RoleFunction, ScopeKind, ValueError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::{ContentFlag, HeldRole, StepName};

/// Most steps a policy may have.
pub const MAX_STEPS: usize = 20;
/// Most signer rules a step (or delegation holders a delegation) may list.
pub const MAX_SIGNER_RULES: usize = 20;
/// Fewest and most signatures a step may require.
pub const REQUIRED_SIGNATURES: std::ops::RangeInclusive<u8> = 1..=10;

/// Who may sign a step (or hold delegated authority): holders of a role in
/// `function`, and, when `responsibility` is set, only with that
/// responsibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SignerRule {
    /// Function the signer's role must be in.
    pub function: RoleFunction,
    /// Responsibility the signer's role must have; `None` accepts any.
    pub responsibility: Option<Responsibility>,
}

impl SignerRule {
    /// Whether `role` satisfies this rule.
    pub fn matches(&self, role: &HeldRole) -> bool {
        role.function == self.function
            && self
                .responsibility
                .is_none_or(|wanted| role.responsibility == Some(wanted))
    }
}

/// When a step applies to a post. Every empty list means "any"; a step
/// applies when each non-empty list matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepConditions {
    /// The post carries at least one of these flags.
    pub flags_any: Vec<ContentFlag>,
    /// The post targets at least one of these channels.
    pub channel_ids: Vec<Uuid>,
    /// The author held, when drafting, a role in at least one of these
    /// functions.
    pub author_functions: Vec<RoleFunction>,
}

impl StepConditions {
    /// Whether a post with these properties meets the conditions.
    pub fn applies_to(
        &self,
        post_flags: &[ContentFlag],
        channel_ids: &[Uuid],
        author_roles: &[HeldRole],
    ) -> bool {
        let flags_ok =
            self.flags_any.is_empty() || self.flags_any.iter().any(|f| post_flags.contains(f));
        let channels_ok =
            self.channel_ids.is_empty() || self.channel_ids.iter().any(|c| channel_ids.contains(c));
        let author_ok = self.author_functions.is_empty()
            || author_roles
                .iter()
                .any(|role| self.author_functions.contains(&role.function));
        flags_ok && channels_ok && author_ok
    }
}

/// One sign-off a post needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyStep {
    /// Name of the step, unique within its policy.
    pub name: StepName,
    /// When the step applies.
    pub conditions: StepConditions,
    /// Who may sign; any rule suffices. Never empty.
    pub signers: Vec<SignerRule>,
    /// How many different people must sign (1 to 10): 1 is "any one of",
    /// N is "N of".
    pub required_signatures: u8,
}

/// Delegated authority: holders may publish posts that carry no flag
/// ("routine replies") without approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    /// Who holds the authority; any rule suffices. Never empty.
    pub holders: Vec<SignerRule>,
}

impl Delegation {
    /// The first of `roles` (in the order given) that holds the authority.
    pub fn holder_role<'a>(&self, roles: &'a [HeldRole]) -> Option<&'a HeldRole> {
        roles
            .iter()
            .find(|role| self.holders.iter().any(|rule| rule.matches(role)))
    }
}

/// The content of a version of an approval policy, validated as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PolicyDefinitionData")]
pub struct PolicyDefinition {
    steps: Vec<PolicyStep>,
    delegation: Option<Delegation>,
}

/// Unchecked mirror of [`PolicyDefinition`], so deserialization validates.
#[derive(Deserialize)]
struct PolicyDefinitionData {
    steps: Vec<PolicyStep>,
    delegation: Option<Delegation>,
}

impl TryFrom<PolicyDefinitionData> for PolicyDefinition {
    type Error = ValueError;

    fn try_from(data: PolicyDefinitionData) -> Result<Self, Self::Error> {
        Self::new(data.steps, data.delegation)
    }
}

/// Field names of per-step errors; static because [`ValueError::field`] is
/// `&'static str` and a policy has at most [`MAX_STEPS`] steps.
macro_rules! step_fields {
    ($suffix:literal) => {
        [
            concat!("steps[0].", $suffix),
            concat!("steps[1].", $suffix),
            concat!("steps[2].", $suffix),
            concat!("steps[3].", $suffix),
            concat!("steps[4].", $suffix),
            concat!("steps[5].", $suffix),
            concat!("steps[6].", $suffix),
            concat!("steps[7].", $suffix),
            concat!("steps[8].", $suffix),
            concat!("steps[9].", $suffix),
            concat!("steps[10].", $suffix),
            concat!("steps[11].", $suffix),
            concat!("steps[12].", $suffix),
            concat!("steps[13].", $suffix),
            concat!("steps[14].", $suffix),
            concat!("steps[15].", $suffix),
            concat!("steps[16].", $suffix),
            concat!("steps[17].", $suffix),
            concat!("steps[18].", $suffix),
            concat!("steps[19].", $suffix),
        ]
    };
}

const NAME_FIELDS: [&str; MAX_STEPS] = step_fields!("name");
const SIGNERS_FIELDS: [&str; MAX_STEPS] = step_fields!("signers");
const REQUIRED_FIELDS: [&str; MAX_STEPS] = step_fields!("requiredSignatures");

/// Checks a list of signer rules: 1 to [`MAX_SIGNER_RULES`] rules, each
/// pairing a responsibility only with a function it belongs to.
fn check_rules(field: &'static str, rules: &[SignerRule]) -> Result<(), ValueError> {
    if rules.is_empty() || rules.len() > MAX_SIGNER_RULES {
        return Err(ValueError::new(
            field,
            format!("must list 1 to {MAX_SIGNER_RULES} roles"),
        ));
    }
    for rule in rules {
        if let Some(responsibility) = rule.responsibility {
            if !responsibility.allows(rule.function) {
                return Err(ValueError::new(
                    field,
                    format!(
                        "responsibility {responsibility} does not belong to function {}",
                        rule.function
                    ),
                ));
            }
        }
    }
    Ok(())
}

impl PolicyDefinition {
    /// Validates and builds a definition: at most [`MAX_STEPS`] steps with
    /// unique names, each with 1 to [`MAX_SIGNER_RULES`] signer rules and
    /// 1 to 10 required signatures; a delegation names 1 to
    /// [`MAX_SIGNER_RULES`] holders.
    pub fn new(steps: Vec<PolicyStep>, delegation: Option<Delegation>) -> Result<Self, ValueError> {
        if steps.len() > MAX_STEPS {
            return Err(ValueError::new(
                "steps",
                format!("must have at most {MAX_STEPS} steps"),
            ));
        }
        for (index, step) in steps.iter().enumerate() {
            if steps[..index].iter().any(|other| other.name == step.name) {
                return Err(ValueError::new(
                    NAME_FIELDS[index],
                    format!(
                        "must be unique within the policy ({} is repeated)",
                        step.name
                    ),
                ));
            }
            check_rules(SIGNERS_FIELDS[index], &step.signers)?;
            if !REQUIRED_SIGNATURES.contains(&step.required_signatures) {
                return Err(ValueError::new(
                    REQUIRED_FIELDS[index],
                    format!(
                        "must be {} to {}",
                        REQUIRED_SIGNATURES.start(),
                        REQUIRED_SIGNATURES.end()
                    ),
                ));
            }
        }
        if let Some(delegation) = &delegation {
            check_rules("delegation.holders", &delegation.holders)?;
        }
        Ok(Self { steps, delegation })
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[PolicyStep] {
        &self.steps
    }

    /// The delegated authority, if any.
    pub fn delegation(&self) -> Option<&Delegation> {
        self.delegation.as_ref()
    }

    /// The step with this name, if any.
    pub fn step(&self, name: &str) -> Option<&PolicyStep> {
        self.steps.iter().find(|step| step.name.as_str() == name)
    }
}

/// Where a policy applies: an organization, a team or a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PolicyScope {
    /// Kind of scope.
    pub kind: ScopeKind,
    /// Id of the organization, team or channel.
    pub id: Uuid,
}

/// One version of one policy, as a post was (or is) evaluated against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySnapshot {
    /// The policy.
    pub policy_id: Uuid,
    /// Its version.
    pub version: u64,
    /// Where it applies.
    pub scope: PolicyScope,
    /// What that version says.
    pub definition: PolicyDefinition,
}
