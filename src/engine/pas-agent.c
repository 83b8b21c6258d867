#define G_LOG_DOMAIN "pas-agent"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "pas-agent.h"
#include "pas-error.h"
#include "pas-wire.h"

#define SSH_AGENT_FAILURE 5
#define SSH_AGENTC_REQUEST_IDENTITIES 11
#define SSH_AGENT_IDENTITIES_ANSWER 12
#define SSH_AGENTC_SIGN_REQUEST 13
#define SSH_AGENT_SIGN_RESPONSE 14

/* An agent answer larger than this, or more keys than this, is not an agent. */
#define MAX_MESSAGE (256 * 1024)
#define MAX_IDENTITIES 1024
#define AGENT_TIMEOUT_S 30

struct _PasAgent
{
  int   fd;
  char *path;
};

void
pas_agent_identity_free (PasAgentIdentity *identity)
{
  g_clear_pointer (&identity->blob, g_bytes_unref);
  g_free (identity->key_type);
  g_free (identity->comment);
  g_free (identity);
}

static gboolean
agent_error (PasAgent   *self,
             GError    **error,
             const char *why)
{
  g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED,
               _("The SSH agent at %s could not be used: %s"), self->path, why);
  return FALSE;
}

PasAgent *
pas_agent_connect (const char *socket_path,
                   GError    **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  struct timeval timeout = { .tv_sec = AGENT_TIMEOUT_S };
  PasAgent *self;

  if (socket_path == NULL || strlen (socket_path) >= sizeof addr.sun_path)
    {
      g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("No SSH agent is running"));
      return NULL;
    }

  self = g_new0 (PasAgent, 1);
  self->path = g_strdup (socket_path);
  self->fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  strcpy (addr.sun_path, socket_path);
  if (self->fd < 0 || connect (self->fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      agent_error (self, error, g_strerror (errno));
      pas_agent_free (self);
      return NULL;
    }
  /* The agent is local, but it may be waiting for a confirmation (ssh-add -c). */
  setsockopt (self->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (self->fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  return self;
}

void
pas_agent_free (PasAgent *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  g_free (self->path);
  g_free (self);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      ssize_t n = send (fd, data, len, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static gboolean
read_all (int     fd,
          guint8 *data,
          gsize   len)
{
  while (len > 0)
    {
      ssize_t n = recv (fd, data, len, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

/* Sends one request and returns the reply's body (type byte first). */
static GBytes *
transact (PasAgent   *self,
          GByteArray *request,
          GError    **error)
{
  g_autoptr(GByteArray) framed = g_byte_array_new ();
  guint8 header[4];
  guint32 len;
  guint8 *reply;

  pas_wire_put_string (framed, request->data, request->len);
  if (!write_all (self->fd, framed->data, framed->len) || !read_all (self->fd, header, 4))
    return agent_error (self, error, _("it stopped answering")), NULL;
  len = ((guint32) header[0] << 24) | ((guint32) header[1] << 16) | ((guint32) header[2] << 8) | header[3];
  if (len == 0 || len > MAX_MESSAGE)
    return agent_error (self, error, _("it sent a malformed answer")), NULL;
  reply = g_malloc (len);
  if (!read_all (self->fd, reply, len))
    {
      g_free (reply);
      return agent_error (self, error, _("it stopped answering")), NULL;
    }
  return g_bytes_new_take (reply, len);
}

GPtrArray *
pas_agent_list_identities (PasAgent *self,
                           GError  **error)
{
  g_autoptr(GByteArray) request = g_byte_array_new ();
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func ((GDestroyNotify) pas_agent_identity_free);
  PasWireReader r;
  guint8 type;
  guint32 count;
  gsize len;
  const guint8 *data;

  pas_wire_put_u8 (request, SSH_AGENTC_REQUEST_IDENTITIES);
  reply = transact (self, request, error);
  if (reply == NULL)
    return NULL;

  data = g_bytes_get_data (reply, &len);
  pas_wire_reader_init (&r, data, len);
  if (!pas_wire_read_u8 (&r, &type) || type != SSH_AGENT_IDENTITIES_ANSWER ||
      !pas_wire_read_u32 (&r, &count) || count > MAX_IDENTITIES)
    return agent_error (self, error, _("it sent a malformed answer")), NULL;

  for (guint32 i = 0; i < count; i++)
    {
      const guint8 *blob;
      gsize blob_len;
      PasWireReader br;
      PasAgentIdentity *identity = g_new0 (PasAgentIdentity, 1);

      g_ptr_array_add (identities, identity);
      if (!pas_wire_read_string (&r, &blob, &blob_len) || !pas_wire_read_cstring (&r, &identity->comment))
        return agent_error (self, error, _("it sent a malformed answer")), NULL;
      pas_wire_reader_init (&br, blob, blob_len);
      if (!pas_wire_read_cstring (&br, &identity->key_type))
        return agent_error (self, error, _("it sent a malformed answer")), NULL;
      identity->blob = g_bytes_new (blob, blob_len);
    }
  if (!pas_wire_reader_at_end (&r))
    return agent_error (self, error, _("it sent a malformed answer")), NULL;

  return g_steal_pointer (&identities);
}

GBytes *
pas_agent_sign (PasAgent     *self,
                GBytes       *blob,
                const guint8 *data,
                gsize         len,
                guint32       flags,
                const char   *expected_algorithm,
                GError      **error)
{
  g_autoptr(GByteArray) request = g_byte_array_new ();
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *algorithm = NULL;
  const guint8 *signature, *body;
  gsize signature_len, body_len, reply_len;
  const guint8 *reply_data;
  PasWireReader r, sr;
  guint8 type;

  pas_wire_put_u8 (request, SSH_AGENTC_SIGN_REQUEST);
  pas_wire_put_string (request, g_bytes_get_data (blob, NULL), g_bytes_get_size (blob));
  pas_wire_put_string (request, data, len);
  pas_wire_put_u32 (request, flags);
  reply = transact (self, request, error);
  if (reply == NULL)
    return NULL;

  reply_data = g_bytes_get_data (reply, &reply_len);
  pas_wire_reader_init (&r, reply_data, reply_len);
  if (!pas_wire_read_u8 (&r, &type))
    return agent_error (self, error, _("it sent a malformed answer")), NULL;
  if (type == SSH_AGENT_FAILURE)
    return agent_error (self, error, _("it refused to sign")), NULL;
  if (type != SSH_AGENT_SIGN_RESPONSE || !pas_wire_read_string (&r, &signature, &signature_len))
    return agent_error (self, error, _("it sent a malformed answer")), NULL;

  pas_wire_reader_init (&sr, signature, signature_len);
  if (!pas_wire_read_cstring (&sr, &algorithm) || !pas_wire_read_string (&sr, &body, &body_len))
    return agent_error (self, error, _("it sent a malformed answer")), NULL;
  /* An old agent may ignore the SHA-2 flag and sign with SHA-1: refuse it. */
  if (expected_algorithm != NULL && strcmp (algorithm, expected_algorithm) != 0)
    return agent_error (self, error, _("it signed with another algorithm than asked")), NULL;

  return g_bytes_new (body, body_len);
}
