package io.portcullis.authorization;

import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;

/** Resolves a client's group memberships and substituted templates into {@link ClientPermissions}. */
public interface PermissionEvaluator {

    ClientPermissions permissionsFor(Client client, Registry registry);
}
