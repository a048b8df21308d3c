
export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]

export type Database = {
  
  "public": {
          Tables: {
            "conversations": {
                  Row: {
                    "created_at": string,"elevenlabs_session_id": string | null,"ended_at": string | null,"guest_message_count": number | null,"id": string,"is_guest_session": boolean | null,"persona_id": string | null,"reply_lease_id": string | null,"reply_lease_until": string | null,"session_id": string | null,"status": Database["public"]['Enums']["conversation_status_enum"],"title": string | null,"updated_at": string,"user_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"elevenlabs_session_id"?: string | null,"ended_at"?: string | null,"guest_message_count"?: number | null,"id"?: string,"is_guest_session"?: boolean | null,"persona_id"?: string | null,"reply_lease_id"?: string | null,"reply_lease_until"?: string | null,"session_id"?: string | null,"status"?: Database["public"]['Enums']["conversation_status_enum"],"title"?: string | null,"updated_at"?: string,"user_id"?: string | null
                  }
                  Update: {
                    "created_at"?: string,"elevenlabs_session_id"?: string | null,"ended_at"?: string | null,"guest_message_count"?: number | null,"id"?: string,"is_guest_session"?: boolean | null,"persona_id"?: string | null,"reply_lease_id"?: string | null,"reply_lease_until"?: string | null,"session_id"?: string | null,"status"?: Database["public"]['Enums']["conversation_status_enum"],"title"?: string | null,"updated_at"?: string,"user_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "conversations_persona_id_fkey"
      columns: ["persona_id"]
isOneToOne: false
      referencedRelation: "personas"
      referencedColumns: ["id"]
    }
                  ]
                },"messages": {
                  Row: {
                    "audio_url": string | null,"content": string,"conversation_id": string,"created_at": string,"id": string,"retry_count": number,"role": string,"sender": string,"stopped": boolean
                  }
                  ComputedFields: never
                  Insert: {
                    "audio_url"?: string | null,"content": string,"conversation_id": string,"created_at"?: string,"id"?: string,"retry_count"?: number,"role": string,"sender": string,"stopped"?: boolean
                  }
                  Update: {
                    "audio_url"?: string | null,"content"?: string,"conversation_id"?: string,"created_at"?: string,"id"?: string,"retry_count"?: number,"role"?: string,"sender"?: string,"stopped"?: boolean
                  }
                  Relationships: [
                    {
      foreignKeyName: "messages_conversation_id_fkey"
      columns: ["conversation_id"]
isOneToOne: false
      referencedRelation: "conversations"
      referencedColumns: ["id"]
    }
                  ]
                },"personas": {
                  Row: {
                    "avatar_url": string | null,"created_at": string,"elevenlabs_voice_id": string | null,"greeting": string,"id": string,"is_active": boolean,"name": string,"slug": string,"sort_order": number,"system_prompt": string,"tagline": string,"updated_at": string,"voice": Json | null
                  }
                  ComputedFields: never
                  Insert: {
                    "avatar_url"?: string | null,"created_at"?: string,"elevenlabs_voice_id"?: string | null,"greeting"?: string,"id"?: string,"is_active"?: boolean,"name": string,"slug": string,"sort_order"?: number,"system_prompt": string,"tagline"?: string,"updated_at"?: string,"voice"?: Json | null
                  }
                  Update: {
                    "avatar_url"?: string | null,"created_at"?: string,"elevenlabs_voice_id"?: string | null,"greeting"?: string,"id"?: string,"is_active"?: boolean,"name"?: string,"slug"?: string,"sort_order"?: number,"system_prompt"?: string,"tagline"?: string,"updated_at"?: string,"voice"?: Json | null
                  }
                  Relationships: [
                    
                  ]
                }
          }
          Views: {
            [_ in never]: never
          }
          Functions: {
            "claim_guest_conversations":
{ Args: { "p_session_id": string,"p_user_id": string }; Returns: number
                           },
"delete_account":
{ Args: { "p_delete_user"?: boolean,"p_user_id": string }; Returns: Json
                           },
"delete_conversation":
{ Args: { "p_conversation_id": string,"p_session_id": string,"p_user_id": string }; Returns: Json
                           },
"end_conversation":
{ Args: { "p_conversation_id": string,"p_session_id": string,"p_user_id": string }; Returns: Json
                           },
"get_conversation":
{ Args: { "p_before"?: string,"p_conversation_id": string,"p_guest_limit"?: number,"p_limit"?: number,"p_session_id": string,"p_user_id": string }; Returns: Json
                           },
"get_guest_allowance":
{ Args: { "p_guest_limit"?: number,"p_session_id": string }; Returns: Json
                           },
"get_message_audio":
{ Args: { "p_conversation_id": string,"p_message_id": string,"p_session_id": string,"p_user_id": string }; Returns: Json
                           },
"get_voice_session_context":
{ Args: { "p_conversation_id": string,"p_session_id": string,"p_user_id": string }; Returns: Json
                           },
"list_conversations":
{ Args: { "p_before"?: string,"p_limit"?: number,"p_session_id": string,"p_user_id": string }; Returns: Json
                           },
"list_personas":
{ Args: Record<PropertyKey, never>; Returns: {
              "avatar_url": string,"greeting": string,"id": string,"name": string,"slug": string,"tagline": string
            }[]
                           },
"post_user_message":
{ Args: { "p_content": string,"p_conversation_id": string,"p_guest_limit"?: number,"p_history_limit"?: number,"p_ip"?: string,"p_ip_messages_per_day"?: number,"p_lease_ms"?: number,"p_session_id": string,"p_user_id": string,"p_user_messages_per_day"?: number }; Returns: Json
                           },
"post_voice_message":
{ Args: { "p_byte_size": number,"p_content": string,"p_content_type": string,"p_conversation_id": string,"p_data_base64"?: string,"p_duration_ms": number,"p_guest_limit"?: number,"p_history_limit"?: number,"p_ip"?: string,"p_ip_messages_per_day"?: number,"p_lease_ms"?: number,"p_session_id": string,"p_storage_path"?: string,"p_user_id": string,"p_user_messages_per_day"?: number }; Returns: Json
                           },
"prepare_retry":
{ Args: { "p_conversation_id": string,"p_guest_limit"?: number,"p_history_limit"?: number,"p_ip"?: string,"p_ip_messages_per_day"?: number,"p_lease_ms"?: number,"p_max_retries"?: number,"p_regenerate"?: boolean,"p_session_id": string,"p_user_id": string,"p_user_messages_per_day"?: number }; Returns: Json
                           },
"rename_conversation":
{ Args: { "p_conversation_id": string,"p_expected_title"?: string,"p_session_id": string,"p_title": string,"p_user_id": string }; Returns: Json
                           },
"save_assistant_message":
{ Args: { "p_content": string,"p_conversation_id": string,"p_lease_id"?: string,"p_reply_to": string,"p_session_id": string,"p_stopped"?: boolean,"p_user_id": string }; Returns: Json
                           },
"save_message_audio":
{ Args: { "p_byte_size": number,"p_content_type": string,"p_conversation_id": string,"p_data_base64"?: string,"p_duration_ms": number,"p_message_id": string,"p_session_id": string,"p_storage_path"?: string,"p_user_id": string }; Returns: Json
                           },
"save_voice_transcript":
{ Args: { "p_conversation_id": string,"p_elevenlabs_conversation_id": string,"p_session_id": string,"p_turns": Json,"p_user_id": string }; Returns: Json
                           },
"set_conversation_status":
{ Args: { "p_conversation_id": string,"p_lease_id"?: string,"p_session_id": string,"p_status": string,"p_user_id": string }; Returns: Json
                           },
"start_conversation":
{ Args: { "p_conversations_per_session"?: number,"p_ip"?: string,"p_ip_sessions_per_hour"?: number,"p_persona_id": string,"p_session_id": string,"p_user_id": string }; Returns: Json
                           }
          }
          Enums: {
            "conversation_status_enum": "active"|"ended"|"error"
          }
          CompositeTypes: {
            [_ in never]: never
          }
        }
}

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
  ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R
    }
    ? R
    : never
  : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I
    }
    ? I
    : never
  : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U
    }
    ? U
    : never
  : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never = never
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
  ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never = never
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
  ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never

export const Constants = {
  "public": {
          Enums: {
            "conversation_status_enum": ["active", "ended", "error"]
          }
        }
} as const
