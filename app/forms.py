"""Forms (Flask-WTF: every form carries a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.models import Role


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])


class PlanForm(FlaskForm):
    environment = SelectField("Environment", validators=[DataRequired()])
    message = StringField("Why (shown in the run and the audit log)", validators=[Length(max=500)])


class DecisionForm(FlaskForm):
    comment = TextAreaField("Comment", validators=[Length(max=5000)])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token is needed."""


class CancelForm(FlaskForm):
    force = BooleanField("Force")


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=64)])


ROLE_CHOICES = [role.value for role in Role]


class NewUserForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=64)])
    role = SelectField("Default role", choices=ROLE_CHOICES, default="viewer")


class RoleForm(FlaskForm):
    role = SelectField("Default role", choices=ROLE_CHOICES, validators=[DataRequired()])


class GrantForm(FlaskForm):
    environment = StringField("Environment", validators=[DataRequired(), Length(max=64)])
    # "" falls back to the default role on that environment.
    role = SelectField("Role there", choices=["", *ROLE_CHOICES])
