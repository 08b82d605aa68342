//! The content world most content tests start from (an organization with authors,
//! managers, legal counsel and a channel) and raw role assignment.

use super::*;

impl TestApp {
    /// Assigns a role through raw GraphQL (any function, responsibility and scope kind:
    /// `ORGANIZATION` with no id, `TEAM` or `CHANNEL` with one); returns the assignment id.
    pub async fn assign_role_raw(
        &self,
        person_id: &str,
        function: &str,
        responsibility: Option<&str>,
        scope_kind: &str,
        scope_id: Option<&str>,
    ) -> String {
        let data = expect_data(
            &self.admin(),
            docs::ASSIGN_ROLE,
            serde_json::json!({ "input": {
                "personId": person_id,
                "function": function,
                "responsibility": responsibility,
                "scope": { "kind": scope_kind, "id": scope_id },
                "reason": "test setup",
            }}),
            &format!("[{:?}] assignRole {function}", self.backend),
        )
        .await;
        data["assignRole"]["roleAssignment"]["id"]
            .as_str()
            .expect("assignment id")
            .to_owned()
    }

    /// Adds a person holding one role; returns their global id and a client with their token.
    pub async fn person_with_role(
        &self,
        name: &str,
        function: &str,
        responsibility: Option<&str>,
        scope_kind: &str,
        scope_id: Option<&str>,
    ) -> (String, ChorusClient) {
        let email = format!("{}@acme.example", name.to_lowercase().replace(' ', "."));
        let id = self.add_person(name, &email).await;
        self.assign_role_raw(&id, function, responsibility, scope_kind, scope_id)
            .await;
        let token = self.token_for_person(uuid_of(&id));
        (id, self.client(Some(&token)))
    }
}

/// A person acting in content tests: global id and a client with their token.
#[derive(Debug, Clone)]
pub struct ContentActor {
    pub id: String,
    pub client: ChorusClient,
}

/// The organization the content tests work in: team "Brand" with sub-team "Social",
/// which owns channel `@acme` on X, and people holding the roles the tests need.
#[derive(Debug, Clone)]
pub struct ContentWorld {
    pub brand: String,
    pub social: String,
    pub channel: String,
    /// SOCIAL_MEDIA in team Social: writes and publishes posts.
    pub author: ContentActor,
    /// SOCIAL_MEDIA / SOCIAL_MEDIA_MANAGER in team Brand (an ancestor of Social).
    pub manager1: ContentActor,
    /// MARKETING at channel scope.
    pub manager2: ContentActor,
    /// SOCIAL_MEDIA / SOCIAL_MEDIA_MANAGER in team Social.
    pub manager3: ContentActor,
    /// LEGAL / LEGAL_UGC_COUNSEL in team Brand (legal qualifies at any scope).
    pub legal: ContentActor,
    /// CUSTOMER_SERVICE in team Social: may neither write nor sign.
    pub outsider: ContentActor,
}

impl ContentWorld {
    /// The author drafts `text` for the world's channel; returns the post's id.
    pub async fn draft(&self, text: &str) -> String {
        let drafted = self
            .author
            .draft_post(&[&self.channel], text)
            .await
            .expect("draftPost");
        drafted.post.expect("drafted post").post_fields.id
    }
}

impl TestApp {
    /// Builds the [`ContentWorld`].
    pub async fn content_world(&self) -> ContentWorld {
        let brand = self.create_team("Brand", None).await;
        let social = self.create_team("Social", Some(&brand)).await;
        let channel = self
            .register_channel(&social, register_channel::SocialNetwork::X, "acme")
            .await;
        let actor = |(id, client): (String, ChorusClient)| ContentActor { id, client };
        ContentWorld {
            author: actor(
                self.person_with_role("Ann Author", "SOCIAL_MEDIA", None, "TEAM", Some(&social))
                    .await,
            ),
            manager1: actor(
                self.person_with_role(
                    "Max Manager",
                    "SOCIAL_MEDIA",
                    Some("SOCIAL_MEDIA_MANAGER"),
                    "TEAM",
                    Some(&brand),
                )
                .await,
            ),
            manager2: actor(
                self.person_with_role(
                    "Mia Marketing",
                    "MARKETING",
                    None,
                    "CHANNEL",
                    Some(&channel),
                )
                .await,
            ),
            manager3: actor(
                self.person_with_role(
                    "Sam Social",
                    "SOCIAL_MEDIA",
                    Some("SOCIAL_MEDIA_MANAGER"),
                    "TEAM",
                    Some(&social),
                )
                .await,
            ),
            legal: actor(
                self.person_with_role(
                    "Lea Legal",
                    "LEGAL",
                    Some("LEGAL_UGC_COUNSEL"),
                    "TEAM",
                    Some(&brand),
                )
                .await,
            ),
            outsider: actor(
                self.person_with_role(
                    "Otto Outsider",
                    "CUSTOMER_SERVICE",
                    None,
                    "TEAM",
                    Some(&social),
                )
                .await,
            ),
            brand,
            social,
            channel,
        }
    }
}
