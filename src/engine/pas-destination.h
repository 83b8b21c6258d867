#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where and how to connect, complete and immutable: what the resolver
 * (pas-resolver.h) makes of an address, a saved session or an ssh_config
 * alias, and what a connection is built from. Every field is final: the
 * host is the HostName ssh would use, the user and port are set, the key
 * files are expanded, the jump hosts are destinations of their own. */
typedef struct _PasDestination PasDestination;

#define PAS_TYPE_DESTINATION (pas_destination_get_type ())

/* Which logins a destination allows (a saved session's method). */
typedef enum /*< flags >*/
{
  PAS_AUTH_METHOD_AGENT                = 1 << 0,
  PAS_AUTH_METHOD_KEY_FILES            = 1 << 1,
  PAS_AUTH_METHOD_KEYBOARD_INTERACTIVE = 1 << 2,
  PAS_AUTH_METHOD_PASSWORD             = 1 << 3,
  PAS_AUTH_METHOD_ALL                  = 0xf,
} PasAuthMethods;

/* What a destination is made of; the builder copies everything. */
typedef struct
{
  const char         *host;
  guint16             port;                  /* 0: 22 */
  const char         *user;                  /* NULL: the local user */
  const char         *label;                 /* what the user called it (alias, session name); NULL: host */
  const char * const *identity_files;        /* expanded */
  gboolean            identities_only;
  const char         *user_known_hosts;      /* NULL: ~/.ssh/known_hosts */
  const char * const *global_known_hosts;    /* NULL: /etc/ssh/ssh_known_hosts */
  gboolean            hash_known_hosts;
  guint               timeout;               /* seconds; 0: the default */
  guint               keepalive;             /* seconds; 0: the default */
  const char         *ciphers;               /* ssh_config syntax; NULL: ours */
  const char         *macs;
  PasAuthMethods      auth_methods;          /* 0: all */
  PasDestination    **jumps;                 /* NULL-terminated, first hop first; NULL: none */
  const char         *proxy_command;         /* tokens already expanded; NULL: none */
  const char         *sftp_server;           /* a command run instead of the sftp subsystem */
  const char         *remote_folder;         /* where to start; NULL: home */
  const char         *session_id;            /* the saved session it came from, if any */
} PasDestinationSpec;

GType               pas_destination_get_type           (void) G_GNUC_CONST;
PasDestination     *pas_destination_new                (const PasDestinationSpec *spec);
PasDestination     *pas_destination_ref                (PasDestination     *self);
void                pas_destination_unref              (PasDestination     *self);

const char         *pas_destination_get_host           (PasDestination     *self);
guint16             pas_destination_get_port           (PasDestination     *self);
const char         *pas_destination_get_user           (PasDestination     *self);
const char         *pas_destination_get_label          (PasDestination     *self);
const char * const *pas_destination_get_identity_files (PasDestination     *self);
gboolean            pas_destination_get_identities_only (PasDestination    *self);
const char         *pas_destination_get_user_known_hosts (PasDestination   *self);
const char * const *pas_destination_get_global_known_hosts (PasDestination *self);
gboolean            pas_destination_get_hash_known_hosts (PasDestination   *self);
guint               pas_destination_get_timeout        (PasDestination     *self);
guint               pas_destination_get_keepalive      (PasDestination     *self);
const char         *pas_destination_get_ciphers        (PasDestination     *self);
const char         *pas_destination_get_macs           (PasDestination     *self);
PasAuthMethods      pas_destination_get_auth_methods   (PasDestination     *self);
/* (transfer none) NULL-terminated; never NULL. */
PasDestination    **pas_destination_get_jumps          (PasDestination     *self);
const char         *pas_destination_get_proxy_command  (PasDestination     *self);
const char         *pas_destination_get_sftp_server    (PasDestination     *self);
const char         *pas_destination_get_remote_folder  (PasDestination     *self);
const char         *pas_destination_get_session_id     (PasDestination     *self);

/* "user@host:port", with " via jump,jump" when reached through jump hosts:
 * one server for the queue and the tabs, however it was named. */
const char         *pas_destination_get_key            (PasDestination     *self);
/* "user@host", ":port" only when not 22; " via …" likewise: for people. */
char               *pas_destination_describe           (PasDestination     *self);
/* Every field equal: the same server reached the same way. */
gboolean            pas_destination_equal              (PasDestination     *a,
                                                        PasDestination     *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasDestination, pas_destination_unref)

G_END_DECLS
