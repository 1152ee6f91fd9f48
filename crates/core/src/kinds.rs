//! The coded words of a session — its kind, status, audiences and the roles of the people on
//! it — apart from the sessions module, so that the error messages and the rules can name them
//! without depending on the store's session code.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::str_enum;

str_enum!(SessionKind {
    Talk = "talk" / "宣讲",
    BenchTalk = "bench_talk" / "板凳会",
    DoorToDoor = "door_to_door" / "入户走访",
    Booth = "booth" / "摆摊设点",
    Performance = "performance" / "文艺演出",
    Training = "training" / "专题培训",
    OnlinePush = "online_push" / "线上推送",
});

str_enum!(SessionStatus {
    Planned = "planned" / "计划",
    Confirmed = "confirmed" / "已确认",
    Held = "held" / "已开展",
    Reported = "reported" / "已上报",
    Cancelled = "cancelled" / "已取消",
});

str_enum!(Audience {
    Elderly = "elderly" / "老年人",
    Students = "students" / "学生",
    Parents = "parents" / "家长",
    EnterpriseStaff = "enterprise_staff" / "企业职工",
    FinanceStaff = "finance_staff" / "财务人员",
    Merchants = "merchants" / "商户",
    Public = "public" / "普通群众",
});

str_enum!(AssignRole {
    LeadSpeaker = "lead_speaker" / "主讲",
    Speaker = "speaker" / "宣讲员",
    GridWorker = "grid_worker" / "网格员",
    Captain = "captain" / "队长",
    Performer = "performer" / "演员",
});
