/* health.c - GET /api/video-call/health. */
#include "config.h"
#include "handlers.h"

int handle_health(const vc_request *req, vc_response *res) {
    (void)req;
    cJSON *body = cJSON_CreateObject();
    if (body && (!cJSON_AddStringToObject(body, "status", "ok") ||
                 !cJSON_AddBoolToObject(body, "configured", config_is_complete()))) {
        cJSON_Delete(body);
        body = NULL;
    }
    return response_json(res, 200, body);
}
