#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A client for the ssh-agent protocol (draft-miller-ssh-agent) on a Unix
 * socket. Spoken here rather than through libssh2 because libssh2 1.10 cannot
 * ask the agent for rsa-sha2 signatures (the SSH_AGENT_RSA_SHA2_* flags). */
typedef struct _PasAgent PasAgent;

typedef struct
{
  GBytes *blob;       /* the public key blob */
  char   *key_type;
  char   *comment;
} PasAgentIdentity;

#define PAS_AGENT_RSA_SHA2_256 2
#define PAS_AGENT_RSA_SHA2_512 4

PasAgent  *pas_agent_connect              (const char    *socket_path,
                                           GError       **error);
void       pas_agent_free                 (PasAgent      *self);
/* Returns: (element-type PasAgentIdentity): the keys the agent holds */
GPtrArray *pas_agent_list_identities      (PasAgent      *self,
                                           GError       **error);
/* The signature body (without the algorithm name), as SSH puts it on the wire. */
GBytes    *pas_agent_sign                 (PasAgent      *self,
                                           GBytes        *blob,
                                           const guint8  *data,
                                           gsize          len,
                                           guint32        flags,
                                           const char    *expected_algorithm,
                                           GError       **error);
void       pas_agent_identity_free        (PasAgentIdentity *identity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasAgent, pas_agent_free)

G_END_DECLS
