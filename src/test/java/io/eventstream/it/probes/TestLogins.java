package io.eventstream.it.probes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Map;

/** Container authentication in SecurityIT's WAR: HTTP Basic with two users, as an application would configure it. */
@ApplicationScoped
@BasicAuthenticationMechanismDefinition(realmName = "eventstream-it")
public class TestLogins implements IdentityStore {

    public static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw");

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        return credential.getPasswordAsString().equals(USERS.get(credential.getCaller()))
                ? new CredentialValidationResult(credential.getCaller())
                : CredentialValidationResult.INVALID_RESULT;
    }
}
